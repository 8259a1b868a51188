package dev.breaker.tck;

import dev.breaker.cdi.DependsOn;
import dev.breaker.cdi.Worker;
import dev.breaker.tck.fixtures.RecordingWorker;
import dev.breaker.tck.harness.Recorder;
import dev.breaker.tck.harness.Tck;
import dev.breaker.tck.harness.TckTest;
import dev.breaker.tck.spi.App;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * {@code @PostConstruct} and {@code @PreDestroy} run exactly once per worker, eagerly at boot,
 * also for a worker nothing injects (ArC removes unused beans), and the container's own
 * destruction of the application context finds nothing left to do twice.
 */
public class LifecycleTest extends TckTest {

    @Worker
    public static class Engine extends RecordingWorker {
        public String id() {
            return "engine";
        }
    }

    @Worker
    @DependsOn(Engine.class)
    public static class Lonely extends RecordingWorker {
    }

    /** A plain application bean that uses a worker: not a worker, never recorded. */
    @ApplicationScoped
    public static class Client {
        @Inject
        Engine engine;

        public String call() {
            return engine.id();
        }
    }

    @Worker
    public static class OrderStore extends RecordingWorker {
    }

    @Worker
    @Named("custom-name")
    public static class Renamed extends RecordingWorker {
    }

    @Test
    public void eachWorkerStartsAndStopsExactlyOnce() {
        App app = Tck.deploy(Engine.class, Lonely.class, Client.class);
        // eager: both started before anything looked them up, including the one nothing injects
        assertEquals(List.of("Engine", "Lonely"), Recorder.who("start-end"));
        assertEquals("engine", app.select(Client.class).get().call());
        assertEquals(List.of("Engine", "Lonely"), Recorder.who("start-end"), "a lookup must not start anything again");
        app.shutdown();
        assertEquals(List.of("Lonely", "Engine"), Recorder.who("stop-end"));
        assertEquals(List.of("Lonely", "Engine"), Recorder.who("stop-begin"), "@PreDestroy ran more than once");
        assertEquals(2, Recorder.who("start-begin").size(), "@PostConstruct ran more than once");
    }

    @Test
    public void disabledWorkersAreNotStartedAndNamesAreKebabCaseOrNamed() {
        App app = Tck.deploy(Tck.config("breaker.worker.order-store.enabled", "false",
                        "breaker.worker.custom-name.enabled", "false"),
                OrderStore.class, Renamed.class, Engine.class);
        assertEquals(List.of("Engine"), Recorder.who("start-end"));
        app.shutdown();
        assertFalse(Recorder.who("start-begin").contains("OrderStore"));
        assertFalse(Recorder.who("start-begin").contains("Renamed"));
    }
}
