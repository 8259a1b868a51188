package dev.breaker.tck;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;
import dev.breaker.cdi.ShutdownSequence;
import dev.breaker.cdi.Worker;
import dev.breaker.tck.fixtures.RecordingWorker;
import dev.breaker.tck.harness.Recorder;
import dev.breaker.tck.harness.Tck;
import dev.breaker.tck.harness.TckTest;
import dev.breaker.tck.spi.App;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code breaker.shutdown.readiness-delay}: once the shutdown is announced
 * ({@link ShutdownSequence#announce}), nothing stops and no breaker trips until the delay has
 * passed; the container's own shutdown then waits for what remains of it before the workers stop.
 * The held breaker is used outside any request (on a thread other than the boot thread, where
 * OpenWebBeans SE keeps a request open until shutdown), so it is the holder's own breaker.
 */
public class ReadinessDelayTest extends TckTest {
    static final Duration DELAY = Duration.ofMillis(400);

    @Worker
    public static class Database extends RecordingWorker {
    }

    @ApplicationScoped
    public static class Holder {
        @Inject
        Breaker breaker;

        Breaker breaker() { // through the client proxy: fields of a proxy are not the bean's
            return breaker;
        }
    }

    @Test
    public void theWorkersStopOnlyOnceTheDelayHasPassedSinceTheAnnouncement() throws Exception {
        App app = Tck.deploy(Tck.config("breaker.shutdown.readiness-delay", DELAY.toMillis() + "ms"),
                Database.class, Holder.class);
        ShutdownSequence shutdown = app.select(ShutdownSequence.class).get();
        Breaker breaker = app.select(Holder.class).get().breaker();
        long announced = System.nanoTime();
        shutdown.announce("the test");
        assertTrue(shutdown.isAnnounced());
        assertFalse(Tck.onOtherThread(breaker::isBroken), "no breaker trips when the shutdown is only announced");
        assertEquals(0, Recorder.count("stop-begin", "Database"), "no worker stops when the shutdown is only announced");

        app.shutdown();
        long stopBegan = Recorder.first("stop-begin", "Database").orElseThrow().nanos();
        assertTrue(stopBegan - announced >= DELAY.toNanos(), "the worker stopped "
                + Duration.ofNanos(stopBegan - announced).toMillis() + " ms after the announcement, before the delay");
        assertTrue(Tck.onOtherThread(breaker::isBroken));
        assertEquals(BreakReason.Kind.SHUTDOWN, Tck.onOtherThread(breaker::reason).orElseThrow().root().kind());
        assertEquals(1, Recorder.count("stop-end", "Database"));
    }
}
