package dev.breaker.tck;

import dev.breaker.cdi.DependsOn;
import dev.breaker.cdi.Worker;
import dev.breaker.tck.fixtures.RecordingWorker;
import dev.breaker.tck.harness.Recorder;
import dev.breaker.tck.harness.Tck;
import dev.breaker.tck.harness.TckTest;
import dev.breaker.tck.spi.App;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@code @PreDestroy} that hangs is bounded by its worker's stop timeout, and the whole
 * shutdown by {@code breaker.shutdown.timeout}; the workers it depends on still stop.
 */
public class StopTimeoutTest extends TckTest {
    private static final Duration HANG = Duration.ofSeconds(30);
    private static final long GENEROUS_MS = 8_000;

    @Worker
    public static class Foundation extends RecordingWorker {
    }

    @Worker
    @DependsOn(Foundation.class)
    public static class Stuck extends RecordingWorker {
        @Override
        protected void onStop() {
            Recorder.waitAtGate("never", HANG); // opened only by the suite's clean-up
        }
    }

    /** A stop that ignores the interrupt it gets when its stop timeout passes. */
    @Worker
    @DependsOn(Foundation.class)
    public static class Deaf extends RecordingWorker {
        @Override
        protected void onStop() {
            Recorder.waitAtGateIgnoringInterrupts("never", HANG);
        }
    }

    @Worker
    public static class SlowToDestroy extends RecordingWorker {
        @Override
        protected void onStop() {
            Recorder.waitAtGate("never", HANG); // would hold the container's own shutdown
        }
    }

    @Worker
    @DependsOn(SlowToDestroy.class)
    public static class HoldsTheDeadline extends RecordingWorker {
        @Override
        protected void onStop() {
            Recorder.waitAtGate("never", HANG);
        }
    }

    /**
     * The shutdown deadline passes while a dependent's stop hangs, so the graph never begins the
     * stop of its dependency; the container then destroys that worker itself, and its hanging
     * {@code @PreDestroy} must not hold the container past the deadline either.
     */
    @Test
    public void aWorkerReachedAfterTheDeadlineDoesNotHoldTheContainer() throws InterruptedException {
        App app = Tck.deploy(Tck.config("breaker.worker.holds-the-deadline.stop-timeout", "60s",
                        "breaker.shutdown.timeout", "300ms"),
                HoldsTheDeadline.class, SlowToDestroy.class);
        long t0 = System.nanoTime();
        app.shutdown();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < GENEROUS_MS, "shutdown took " + ms + " ms; breaker.shutdown.timeout is 300 ms");
        // its @PreDestroy still runs, on an abandoned thread; let both hung stops end within this test
        assertTrue(Recorder.await("stop-begin", "SlowToDestroy", Duration.ofSeconds(10)),
                "the container's destruction of the skipped worker never began");
        Recorder.open("never");
        assertTrue(Recorder.await("stop-end", "SlowToDestroy", Duration.ofSeconds(10)));
        assertTrue(Recorder.await("stop-end", "HoldsTheDeadline", Duration.ofSeconds(10)));
    }

    /**
     * A stop abandoned at the shutdown deadline is still running when the container destroys the
     * application context; a container that keeps the instance until its destruction returns
     * (OpenWebBeans) would destroy it a second time, on its own thread and without a bound. The
     * worker's {@code @PreDestroy} must begin exactly once and the shutdown stay bounded.
     */
    @Test
    public void aStopStillRunningAfterTheDeadlineIsNeverBegunASecondTime() throws InterruptedException {
        App app = Tck.deploy(Tck.config("breaker.worker.deaf.stop-timeout", "60s", "breaker.shutdown.timeout", "300ms"),
                Deaf.class, Foundation.class);
        long t0 = System.nanoTime();
        app.shutdown();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < GENEROUS_MS, "shutdown took " + ms + " ms; breaker.shutdown.timeout is 300 ms");
        assertEquals(1, Recorder.count("stop-begin", "Deaf"), "the @PreDestroy of 'deaf' began more than once");
        Recorder.open("never");
        assertTrue(Recorder.await("stop-end", "Deaf", Duration.ofSeconds(10)));
        assertEquals(1, Recorder.count("stop-begin", "Deaf"), "the @PreDestroy of 'deaf' began more than once");
    }

    @Test
    public void aHangingStopIsBoundedByItsStopTimeout() {
        App app = Tck.deploy(Tck.config("breaker.worker.stuck.stop-timeout", "200ms"), Stuck.class, Foundation.class);
        long t0 = System.nanoTime();
        app.shutdown();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 150, "shutdown returned after " + ms + " ms, before the stop timeout");
        assertTrue(ms < GENEROUS_MS, "shutdown took " + ms + " ms; the stop timeout is 200 ms");
        assertEquals(1, Recorder.count("stop-end", "Foundation"), "the dependency of a stuck worker must still stop");
        assertTrue(Recorder.seq("stop-begin", "Stuck") < Recorder.seq("stop-begin", "Foundation"));
    }

    @Test
    public void theWholeShutdownIsBoundedByTheShutdownTimeout() {
        App app = Tck.deploy(Tck.config("breaker.worker.stuck.stop-timeout", "60s", "breaker.shutdown.timeout", "300ms"),
                Stuck.class, Foundation.class);
        long t0 = System.nanoTime();
        app.shutdown();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 250, "shutdown returned after " + ms + " ms, before the shutdown timeout");
        assertTrue(ms < GENEROUS_MS, "shutdown took " + ms + " ms; breaker.shutdown.timeout is 300 ms");
    }
}
