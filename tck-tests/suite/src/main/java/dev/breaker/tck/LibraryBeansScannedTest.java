package dev.breaker.tck;

import dev.breaker.Breaker;
import dev.breaker.cdi.BreakerConfig;
import dev.breaker.cdi.BreakerFactory;
import dev.breaker.cdi.DependsOn;
import dev.breaker.cdi.Worker;
import dev.breaker.tck.fixtures.RecordingWorker;
import dev.breaker.tck.harness.DisabledOn;
import dev.breaker.tck.harness.Recorder;
import dev.breaker.tck.harness.Tck;
import dev.breaker.tck.harness.TckTest;
import dev.breaker.tck.spi.App;
import dev.breaker.worker.JobRunner;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Payara's situation, in any container: the library's own bean classes are found by type
 * discovery (Payara's scanner treats {@code @jakarta.inject.Singleton} as bean-defining and the
 * library jar is an annotated bean archive; a shaded jar in an {@code all} archive does the same
 * anywhere) <em>and</em> registered by the extension. The deployment must still see each library
 * bean exactly once: no ambiguous {@code BreakerFactory}, {@code @BreakerConfig} producer or
 * {@code WorkerLifecycle}, and every worker started and stopped once, in order.
 */
public class LibraryBeansScannedTest extends TckTest {
    private static final Duration GENEROUS = Duration.ofSeconds(10);

    /** Every bean class the library ships, by name (the suite uses no internal type directly). */
    static final List<String> LIBRARY_BEANS = List.of(
            "dev.breaker.cdi.BreakerFactory",
            "dev.breaker.cdi.internal.BreakerSource",
            "dev.breaker.cdi.internal.BreakerProducers",
            "dev.breaker.cdi.internal.WorkerLifecycle",
            "dev.breaker.cdi.ShutdownSequence",
            "dev.breaker.cdi.internal.StoppedWorkers",
            "dev.breaker.cdi.internal.StopGuardInterceptor",
            "dev.breaker.cdi.internal.StopGuardDestroyInterceptor",
            "dev.breaker.cdi.internal.health.WorkersReadiness",
            "dev.breaker.cdi.internal.health.WorkersLiveness");

    @Worker
    public static class Store extends RecordingWorker {
    }

    @Worker
    @DependsOn(Store.class)
    public static class Left extends RecordingWorker {
        @Inject
        BreakerFactory breakers;
    }

    @Worker
    @DependsOn(Store.class)
    public static class Right extends RecordingWorker {
        @Inject
        @BreakerConfig("request")
        Breaker request;
    }

    @Worker
    @DependsOn({Left.class, Right.class})
    public static class Front extends RecordingWorker {
        @Inject
        JobRunner jobs;
    }

    /** A JAX-RS-like singleton that makes one breaker per call. */
    @ApplicationScoped
    public static class Resource {
        @Inject
        BreakerFactory breakers;

        @Inject
        @BreakerConfig("request")
        Breaker request;

        Breaker injected() {
            return request;
        }

        Breaker perCall() {
            return breakers.named("request");
        }
    }

    @Test
    @DisabledOn(value = "weld-bce", reason = "Weld runs the build compatible extension only when forced "
            + "(it skips it whenever the portable extension is present, which it always is in a CDI Full "
            + "container); CDI Lite has no veto, and ArC keeps one bean per scanned class name")
    void libraryBeansDiscoveredAndRegisteredExistOnce() throws Exception {
        List<Class<?>> beans = new ArrayList<>(List.of(Store.class, Left.class, Right.class, Front.class,
                Resource.class, dev.breaker.tck.harness.Requests.class));
        for (String name : LIBRARY_BEANS) {
            try {
                beans.add(Class.forName(name, false, LibraryBeansScannedTest.class.getClassLoader()));
            } catch (ClassNotFoundException | LinkageError absent) {
                // the health checks need the MicroProfile Health API, which not every runner has
            }
        }
        App app = Tck.deploy(Tck.config("breaker.request.timeout", "1s"), beans.toArray(Class<?>[]::new));

        assertEquals(List.of("Store"), Recorder.who("start-end").subList(0, 1));
        assertEquals("Front", Recorder.who("start-end").get(3));
        for (String w : List.of("Store", "Left", "Right", "Front")) {
            assertEquals(1, Recorder.count("start-begin", w), w + " started once: " + Recorder.entries());
        }
        assertTrue(app.select(BreakerFactory.class).isResolvable(), "one BreakerFactory");
        assertTrue(app.select(JobRunner.class).isResolvable(), "one JobRunner");

        Resource resource = app.select(Resource.class).get();
        try (Breaker b = resource.perCall()) {
            assertFalse(b.isBroken());
            assertTrue(b.await(GENEROUS), "breaker.request.timeout=1s trips");
        }
        assertTrue(Tck.inRequest(app, () -> resource.injected().await(GENEROUS)),
                "the injected request breaker trips too, in a request");

        app.shutdown();
        assertEquals("Front", Recorder.who("stop-end").get(0));
        assertEquals("Store", Recorder.who("stop-end").get(3));
        for (String w : List.of("Store", "Left", "Right", "Front")) {
            assertEquals(1, Recorder.count("stop-end", w), w + " stopped once: " + Recorder.entries());
        }
    }
}
