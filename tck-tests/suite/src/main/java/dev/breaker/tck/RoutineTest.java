package dev.breaker.tck;

import dev.breaker.Breaker;
import dev.breaker.cdi.DependsOn;
import dev.breaker.cdi.Worker;
import dev.breaker.tck.fixtures.RecordingWorker;
import dev.breaker.tck.harness.Recorder;
import dev.breaker.tck.harness.Tck;
import dev.breaker.tck.harness.TckTest;
import dev.breaker.tck.spi.App;
import dev.breaker.worker.Routine;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A worker implementing {@link Routine} gets a supervised body: it runs after the worker has
 * started, its breaker trips when the worker is asked to stop, and what happens when it returns
 * or throws early is the configured policy ({@code on-return}/{@code on-error}: nothing, restart,
 * shutdown; restarts bounded by {@code max-restarts} within {@code restart-window}).
 */
public class RoutineTest extends TckTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Worker
    public static class Downstream extends RecordingWorker {
    }

    /** Runs until stopped; records how it ended. */
    @Worker
    @DependsOn(Downstream.class)
    public static class Pump extends RecordingWorker implements Routine {
        @Override
        public void run(Breaker stop) throws InterruptedException {
            Recorder.record("run-begin", "Pump");
            stop.await();
            Recorder.record("run-end", "Pump");
        }
    }

    /** Returns at once, every time. */
    @Worker
    @DependsOn(Downstream.class)
    public static class Quitter extends RecordingWorker implements Routine {
        @Override
        public void run(Breaker stop) {
            Recorder.waitAtGate("started", WAIT); // an escalation during start would fail the deployment
            Recorder.record("run-begin", "Quitter");
        }
    }

    /** Throws at once, every time. */
    @Worker
    @DependsOn(Downstream.class)
    public static class Crasher extends RecordingWorker implements Routine {
        @Override
        public void run(Breaker stop) {
            Recorder.waitAtGate("started", WAIT); // an escalation during start would fail the deployment
            Recorder.record("run-begin", "Crasher");
            throw new IllegalStateException("crasher crashed");
        }
    }

    @Test
    public void routineRunsAfterStartAndEndsWhenItsWorkerStops() throws InterruptedException {
        App app = Tck.deploy(Pump.class, Downstream.class);
        assertTrue(Recorder.await("run-begin", "Pump", WAIT), "the routine never ran");
        assertTrue(Recorder.seq("start-end", "Pump") < Recorder.seq("run-begin", "Pump"),
                "the routine must run after @PostConstruct");
        app.shutdown();
        assertEquals(1, Recorder.count("run-end", "Pump"), "the routine's breaker did not trip at shutdown");
        assertTrue(Recorder.seq("run-end", "Pump") < Recorder.seq("stop-begin", "Downstream"),
                "the routine must end before the workers it depends on stop");
        assertEquals(1, Recorder.count("run-begin", "Pump"));
    }

    @Test
    public void onReturnNothingLeavesEverythingRunning() throws InterruptedException {
        App app = Tck.deploy(policy("quitter", "on-return", "nothing"), Quitter.class, Downstream.class);
        Recorder.open("started");
        assertTrue(Recorder.await("run-begin", "Quitter", WAIT));
        assertFalse(Recorder.await("stop-begin", "Downstream", Duration.ofMillis(500)),
                "a routine returning with policy nothing must not stop anything");
        app.shutdown();
        assertEquals(1, Recorder.count("run-begin", "Quitter"));
        assertEquals(1, Recorder.count("stop-end", "Downstream"));
    }

    @Test
    public void onReturnRestartRunsTheRoutineAgain() throws InterruptedException {
        App app = Tck.deploy(policy("quitter", "on-return", "restart", "max-restarts", "100", "restart-window", "1m"),
                Quitter.class, Downstream.class);
        Recorder.open("started");
        assertTrue(Recorder.await(e -> Recorder.count("run-begin", "Quitter") >= 2, WAIT), "never restarted");
        app.shutdown();
        assertEquals(1, Recorder.count("stop-end", "Downstream"));
    }

    @Test
    public void onErrorRestartIsBoundedThenShutsEverythingDown() throws InterruptedException {
        App app = Tck.deploy(policy("crasher", "on-error", "restart", "max-restarts", "2", "restart-window", "1m"),
                Crasher.class, Downstream.class);
        Recorder.open("started");
        assertTrue(Recorder.await("stop-end", "Downstream", WAIT),
                "after too many restarts the failure must escalate to a shutdown of every worker");
        assertEquals(3, Recorder.count("run-begin", "Crasher"), "max-restarts=2 means three runs in all");
        app.shutdown();
        assertEquals(1, Recorder.count("stop-end", "Downstream"), "stopped twice");
        assertEquals(1, Recorder.count("stop-end", "Crasher"), "stopped twice");
    }

    @Test
    public void onErrorShutdownStopsEveryWorker() throws InterruptedException {
        App app = Tck.deploy(policy("crasher", "on-error", "shutdown"), Crasher.class, Downstream.class);
        Recorder.open("started");
        assertTrue(Recorder.await("stop-end", "Downstream", WAIT), "on-error=shutdown must stop every worker");
        assertTrue(Recorder.seq("stop-end", "Crasher") < Recorder.seq("stop-begin", "Downstream"));
        assertEquals(1, Recorder.count("run-begin", "Crasher"));
        app.shutdown();
        assertEquals(1, Recorder.count("stop-end", "Downstream"), "stopped twice");
    }

    @Test
    public void onReturnShutdownStopsEveryWorker() throws InterruptedException {
        App app = Tck.deploy(policy("quitter", "on-return", "shutdown"), Quitter.class, Downstream.class);
        Recorder.open("started");
        assertTrue(Recorder.await("stop-end", "Downstream", WAIT), "on-return=shutdown must stop every worker");
        assertEquals(1, Recorder.count("run-begin", "Quitter"));
        app.shutdown();
        assertEquals(1, Recorder.count("stop-end", "Quitter"), "stopped twice");
    }

    @Test
    public void onErrorNothingLeavesEverythingRunning() throws InterruptedException {
        App app = Tck.deploy(policy("crasher", "on-error", "nothing"), Crasher.class, Downstream.class);
        Recorder.open("started");
        assertTrue(Recorder.await("run-begin", "Crasher", WAIT));
        assertFalse(Recorder.await("stop-begin", "Downstream", Duration.ofMillis(500)),
                "a failing routine with policy nothing must not stop anything");
        app.shutdown();
        assertEquals(1, Recorder.count("run-begin", "Crasher"));
    }

    private static Map<String, String> policy(String worker, String... keysAndValues) {
        String[] full = new String[keysAndValues.length];
        for (int i = 0; i < keysAndValues.length; i += 2) {
            full[i] = "breaker.worker." + worker + "." + keysAndValues[i];
            full[i + 1] = keysAndValues[i + 1];
        }
        return Tck.config(full);
    }
}
