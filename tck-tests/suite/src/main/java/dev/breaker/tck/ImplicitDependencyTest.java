package dev.breaker.tck;

import dev.breaker.cdi.Worker;
import dev.breaker.tck.fixtures.RecordingWorker;
import dev.breaker.tck.harness.Graphs;
import dev.breaker.tck.harness.Recorder;
import dev.breaker.tck.harness.Tck;
import dev.breaker.tck.harness.TckTest;
import dev.breaker.tck.spi.App;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A worker that injects another worker depends on it, without {@code @DependsOn}. */
public class ImplicitDependencyTest extends TckTest {

    @Worker
    public static class Store extends RecordingWorker {
        public String ping() {
            return "pong";
        }
    }

    @Worker
    public static class Cache extends RecordingWorker {
        @Inject
        Store store;

        @Override
        protected void onStop() {
            // the store must still be alive while the cache stops
            Recorder.record("store-alive-" + store.ping(), "Cache");
        }
    }

    /** Constructor injection and {@code Provider} create the same dependency. */
    @Worker
    public static class Api extends RecordingWorker {
        private Provider<Cache> cache;

        protected Api() {
        }

        @Inject
        public Api(Provider<Cache> cache) {
            this.cache = cache;
        }
    }

    @Test
    public void injectionIsADependency() {
        Class<?>[] beans = {Api.class, Cache.class, Store.class};
        App app = Tck.deploy(beans);
        assertEquals(List.of("Store", "Cache", "Api"), Recorder.who("start-end"));
        app.shutdown();
        assertEquals(List.of("Api", "Cache", "Store"), Recorder.who("stop-end"));
        Graphs.assertStopOrder(Graphs.edges(beans), beans);
        assertEquals(1, Recorder.count("store-alive-pong", "Cache"));
    }
}
