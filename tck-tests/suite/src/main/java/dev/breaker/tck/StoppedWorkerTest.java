package dev.breaker.tck;

import dev.breaker.cdi.DependsOn;
import dev.breaker.cdi.Worker;
import dev.breaker.tck.fixtures.RecordingWorker;
import dev.breaker.tck.harness.Recorder;
import dev.breaker.tck.harness.Tck;
import dev.breaker.tck.harness.TckTest;
import dev.breaker.tck.spi.App;
import dev.breaker.worker.WorkerContext;
import dev.breaker.worker.WorkerEvent;
import dev.breaker.worker.WorkerState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10 item 7: a worker destroyed at shutdown never comes back. A dependent that overran its
 * stop timeout, and then called its dependency's client proxy, used to make the container create
 * a second instance (its {@code @PostConstruct} running during shutdown on the dependent's
 * thread); writes then went to a half-closed resource. The late call must fail at once with
 * {@code BRKR013}, naming both workers (or the calling thread), and nothing is constructed.
 */
public class StoppedWorkerTest extends TckTest {
    private static final Duration GENEROUS = Duration.ofSeconds(8);
    private static final String STOPPED = WorkerState.STOPPING + "->" + WorkerState.STOPPED;

    /** Records every worker transition, so fixtures can wait for "store is destroyed". */
    @ApplicationScoped
    public static class Watcher {
        void on(@Observes WorkerEvent event) {
            Recorder.record(event.from() + "->" + event.to(), event.worker());
        }
    }

    @Worker
    public static class Base extends RecordingWorker {
        @Override
        protected void onStop() {
            // keeps the shutdown going until the late call has been made (bounded)
            awaitIgnoringInterrupts(e -> e.what().equals("late-call-done"));
        }
    }

    @Worker
    @DependsOn(Base.class)
    public static class Store extends RecordingWorker {
        public String write(String value) {
            Recorder.record("write", value);
            return value;
        }
    }

    @Worker
    public static class Pipeline extends RecordingWorker {
        @Inject
        Store store;

        /** Overruns its stop timeout, ignoring interrupts, and then uses the store, as the issue saw. */
        @Override
        protected void onStop() {
            awaitIgnoringInterrupts(e -> e.what().equals(STOPPED) && e.who().equals("store"));
            lateWrite(store, "Pipeline", "late");
        }
    }

    /** A bean that is not a worker, using the store from the thread that reported it stopped. */
    @ApplicationScoped
    public static class LateObserver {
        @Inject
        Store store;

        void on(@Observes WorkerEvent event) {
            if (event.worker().equals("store") && event.to() == WorkerState.STOPPED) {
                Recorder.record(WorkerContext.current().isPresent() ? "caller-is-a-worker" : "caller-is-a-thread",
                        Thread.currentThread().getName());
                lateWrite(store, "LateObserver", "late-from-observer");
            }
        }
    }

    /** Not a worker: lets {@link Audit} reach the store without depending on it. */
    @ApplicationScoped
    public static class Directory {
        @Inject
        Store store;

        public Store store() {
            return store;
        }
    }

    /** Independent of the store (it injects only the directory), so both stop at the same time. */
    @Worker
    public static class Audit extends RecordingWorker {
        @Inject
        Directory directory;

        @Override
        protected void onStop() {
            awaitIgnoringInterrupts(e -> e.what().equals(STOPPED) && e.who().equals("store"));
            lateWrite(directory.store(), "Audit", "late-from-audit");
        }
    }

    @Test
    public void aWorkerThatDoesNotDependOnAStoppedWorkerIsToldToDeclareIt() throws Exception {
        App app = Tck.deploy(Watcher.class, Base.class, Store.class, Directory.class, Audit.class);
        app.shutdown();
        assertTrue(Recorder.await("late-call-done", "Audit", GENEROUS), "the late call never finished: "
                + Recorder.entries());
        assertEquals(1, Recorder.count("start-begin", "Store"), "the stopped store was created again: "
                + Recorder.entries());
        assertEquals(0, Recorder.count("write", "late-from-audit"), "the late write reached a stopped store");
        String failure = Recorder.first("late-call-failed", "Audit")
                .orElseThrow(() -> new AssertionError("the late call did not fail: " + Recorder.entries()))
                .detail();
        assertTrue(failure.contains("BRKR013: worker 'store' was stopped at shutdown; 'audit' used it afterwards,"
                + " without depending on it (add @DependsOn to keep it until 'audit' stops)"), failure);
    }

    @Test
    public void aDependentPastItsStopTimeoutCannotRecreateItsStoppedDependency() throws Exception {
        App app = Tck.deploy(Tck.config("breaker.worker.pipeline.stop-timeout", "200ms"),
                Watcher.class, Base.class, Store.class, Pipeline.class);
        assertEquals(1, Recorder.count("start-begin", "Store"));
        app.shutdown();
        assertTrue(Recorder.await("late-call-done", "Pipeline", GENEROUS), "the late call never finished: "
                + Recorder.entries());
        assertEquals(1, Recorder.count("start-begin", "Store"), "the stopped store was created again: "
                + Recorder.entries());
        assertEquals(0, Recorder.count("write", "late"), "the late write reached a stopped store");
        String failure = Recorder.first("late-call-failed", "Pipeline")
                .orElseThrow(() -> new AssertionError("the late call did not fail: " + Recorder.entries()))
                .detail();
        assertTrue(failure.contains("BRKR013: worker 'store' was stopped at shutdown; 'pipeline' used it after its"
                + " stop timeout"), failure);
        long ms = Long.parseLong(Recorder.first("late-call-ms", "Pipeline").orElseThrow().detail());
        assertTrue(ms < GENEROUS.toMillis(), "the late call took " + ms + " ms; it must fail at once");
    }

    @Test
    public void aLateCallFromAnotherThreadFailsNamingTheThread() throws Exception {
        App app = Tck.deploy(LateObserver.class, Store.class, Base.class);
        app.shutdown();
        assertTrue(Recorder.await("late-call-done", "LateObserver", GENEROUS), "the late call never finished: "
                + Recorder.entries());
        assertEquals(1, Recorder.count("start-begin", "Store"), "the stopped store was created again: "
                + Recorder.entries());
        assertEquals(0, Recorder.count("write", "late-from-observer"), "the late write reached a stopped store");
        String failure = Recorder.first("late-call-failed", "LateObserver")
                .orElseThrow(() -> new AssertionError("the late call did not fail: " + Recorder.entries()))
                .detail();
        assertTrue(failure.contains("BRKR013: worker 'store' was stopped at shutdown; "), failure);
        List<Recorder.Entry> threads = Recorder.entries("caller-is-a-thread");
        if (!threads.isEmpty()) {
            String expected = "BRKR013: worker 'store' was stopped at shutdown; thread '" + threads.get(0).who()
                    + "' used it afterwards";
            assertTrue(failure.contains(expected), () -> "expected\n  " + expected + "\nin\n" + failure);
        }
    }

    /**
     * Calls the store and records the outcome under {@code who}: {@code late-call-failed} with the
     * message chain as its detail, and always {@code late-call-done}.
     */
    static void lateWrite(Store store, String who, String value) {
        long t0 = System.nanoTime();
        try {
            store.write(value);
            Recorder.record("late-call-succeeded", who);
        } catch (RuntimeException e) {
            List<String> messages = new ArrayList<>();
            for (Throwable t = e; t != null && messages.size() < 10; t = t.getCause()) {
                messages.add(t.getClass().getName() + ": " + t.getMessage());
            }
            Recorder.record("late-call-failed", who, String.join("\n", messages));
        } finally {
            Recorder.record("late-call-ms", who, Long.toString((System.nanoTime() - t0) / 1_000_000));
            Recorder.record("late-call-done", who);
        }
    }

    /** Hostile user code: waits whatever the stop breaker or an interrupt says, but bounded. */
    static void awaitIgnoringInterrupts(Predicate<Recorder.Entry> test) {
        long end = System.nanoTime() + GENEROUS.toNanos();
        boolean interrupted = false;
        while (System.nanoTime() < end) {
            try {
                if (Recorder.await(test, Duration.ofNanos(Math.max(1, end - System.nanoTime())))) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
