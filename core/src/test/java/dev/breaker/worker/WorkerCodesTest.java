package dev.breaker.worker;

import dev.breaker.LogCapture;
import dev.breaker.LogCapture.Line;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The worker graph's codes ({@code BRKR100}…, the catalogue {@code worker.internal.Messages}):
 * each condition made to happen, and its line (level, code, text) or exception message asserted.
 * The texts after the code are the ones other tests and users search for.
 */
@Timeout(60)
class WorkerCodesTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    static {
        QuietLogs.apply();
    }

    private final LogCapture log = new LogCapture("dev.breaker.worker");

    @AfterEach
    void closeCapture() {
        log.close();
    }

    private static void assertLine(Line line, Level level, String text) {
        assertEquals(level, line.level(), line.toString());
        assertEquals(text, line.message());
    }

    private static void assertLineStarts(Line line, Level level, String prefix) {
        assertEquals(level, line.level(), line.toString());
        assertTrue(line.message().startsWith(prefix), line.message());
    }

    /** The one line that starts with {@code prefix}. */
    private static Line starting(LogCapture log, String prefix) {
        java.util.List<Line> found = log.lines().stream().filter(l -> l.message().startsWith(prefix)).toList();
        assertEquals(1, found.size(), prefix + " in " + log.lines());
        return found.get(0);
    }

    @Test
    void aCleanStartAndStopLogTheirLines() throws Exception {
        WorkerGraph graph = WorkerGraph.builder().worker(WorkerSpec.builder("intake").build()).build();
        graph.start();
        assertLine(log.only("BRKR112"), Level.FINE, "BRKR112: starting 2 workers"); // with the job runner
        Line started = starting(log, "BRKR111: worker 'intake' started in ");
        assertEquals(Level.INFO, started.level());
        assertTrue(started.message().matches("BRKR111: worker 'intake' started in [0-9,]+ ms"), started.message());
        assertLineStarts(log.only("BRKR113"), Level.INFO, "BRKR113: worker graph started in ");
        assertTrue(graph.shutdown().clean());
        assertLine(log.only("BRKR115"), Level.INFO, "BRKR115: worker graph stopping");
        assertEquals(Level.INFO, starting(log, "BRKR116: worker 'intake' stopped in ").level());
        assertLineStarts(log.await("BRKR121", WAIT), Level.INFO, "BRKR121: worker graph stopped in ");
        assertTrue(log.withCode("BRKR122").isEmpty(), log.lines().toString());
    }

    @Test
    void aSecondStartIsRefused() {
        WorkerGraph graph = WorkerGraph.builder().build();
        graph.start();
        try {
            assertEquals("BRKR103: start() was already called",
                    assertThrows(IllegalStateException.class, graph::start).getMessage());
        } finally {
            graph.shutdown();
        }
    }

    /**
     * A listener aborts the graph when 'b' is about to start: the start of 'b', submitted
     * already, never runs (BRKR105), which the graph logs as a consequence (BRKR108), and the
     * graph's start fails as cancelled (BRKR104), the abort's cause in the stopping line (BRKR115).
     */
    @Test
    void aStartCancelledByShutdown() {
        AtomicReference<WorkerGraph> ref = new AtomicReference<>();
        IllegalStateException why = new IllegalStateException("enough");
        WorkerGraph graph = WorkerGraph.builder()
                .listener(e -> {
                    if (e.worker().equals("b") && e.to() == WorkerState.STARTING) {
                        ref.get().abort(why);
                    }
                })
                .worker(WorkerSpec.builder("a").build())
                .worker(WorkerSpec.builder("b").dependsOn("a").build())
                .build();
        ref.set(graph);
        WorkerStartException e = assertThrows(WorkerStartException.class, graph::start);
        assertEquals("BRKR104: start of the worker graph was cancelled: shutdown began", e.getMessage());
        Throwable notRun = graph.info("b").failure().orElseThrow();
        assertInstanceOf(CancellationException.class, notRun);
        assertEquals("BRKR105: start of worker 'b' cancelled: shutdown began first", notRun.getMessage());
        assertLine(log.only("BRKR108"), Level.INFO, "BRKR108: start of worker 'b' ended during shutdown: " + notRun);
        assertLine(log.only("BRKR115"), Level.INFO, "BRKR115: worker graph stopping: " + why);
        assertTrue(log.withCode("BRKR107").isEmpty(), "a consequence, not a failure: " + log.lines());
    }

    /**
     * 'boom' fails to start (BRKR107); 'slow' ignores its breaker and interrupts past the
     * shutdown timeout (BRKR110) and is left behind (BRKR123); the graph stops uncleanly (BRKR122).
     */
    @Test
    void aStartThatOutlivesTheShutdownTimeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch slowStarted = new CountDownLatch(1);
        IllegalStateException noLicence = new IllegalStateException("no licence");
        WorkerGraph graph = WorkerGraph.builder().shutdownTimeout(Duration.ofMillis(300))
                .worker(WorkerSpec.builder("slow").onStart(ctx -> {
                    slowStarted.countDown();
                    awaitUninterruptibly(release);
                }).build())
                .worker(WorkerSpec.builder("boom").onStart(ctx -> {
                    // only once slow's start runs: failing before it began would cancel it, and no
                    // start would be left to outlive the shutdown timeout (BRKR110 never logged)
                    awaitUninterruptibly(slowStarted);
                    throw noLicence;
                }).build())
                .build();
        try {
            WorkerStartException e = assertThrows(WorkerStartException.class, graph::start);
            assertEquals("BRKR107: worker 'boom' failed to start: " + noLicence, e.getMessage());
            Line failed = log.only("BRKR107");
            assertLine(failed, Level.SEVERE, "BRKR107: worker 'boom' failed to start");
            assertSame(noLicence, failed.thrown());
            assertLine(log.only("BRKR110"), Level.WARNING,
                    "BRKR110: worker 'slow' was still starting when the shutdown timeout (PT0.3S) elapsed");
            Line left = log.await("BRKR123", WAIT);
            assertEquals(Level.WARNING, left.level());
            assertTrue(left.message().startsWith("BRKR123: threads of the worker graph left behind (interrupted, "
                    + "still running user code that ignores its breaker and interrupts): "), left.message());
            assertTrue(left.message().contains("slow"), left.message());
            assertLineStarts(log.await("BRKR122", WAIT), Level.WARNING, "BRKR122: worker graph stopped in ");
            assertTrue(log.withCode("BRKR121").isEmpty(), log.lines().toString());
        } finally {
            release.countDown();
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aFailingStopIsLoggedWithItsFailure() throws Exception {
        IllegalStateException stuck = new IllegalStateException("stuck");
        WorkerGraph graph = WorkerGraph.builder()
                .worker(WorkerSpec.builder("a").onStop(ctx -> {
                    throw stuck;
                }).build())
                .build();
        graph.start();
        assertFalse(graph.shutdown().clean());
        Line line = log.only("BRKR117");
        assertLineStarts(line, Level.SEVERE, "BRKR117: worker 'a' failed to stop in ");
        assertTrue(line.message().endsWith(" ms"), line.message());
        assertSame(stuck, line.thrown());
        assertLineStarts(log.await("BRKR122", WAIT), Level.WARNING, "BRKR122: worker graph stopped in ");
    }

    @Test
    void closingWhatAFailedStartBoundFails() {
        IOException closing = new IOException("close failed");
        WorkerGraph graph = WorkerGraph.builder()
                .worker(WorkerSpec.builder("a").onStart(ctx -> {
                    ctx.bind(() -> {
                        throw closing;
                    });
                    throw new IllegalStateException("no start");
                }).build())
                .build();
        assertThrows(WorkerStartException.class, graph::start);
        Line line = log.only("BRKR120");
        assertLine(line, Level.SEVERE, "BRKR120: closing the resources of worker 'a' failed");
        assertTrue(line.thrown() == closing || java.util.List.of(line.thrown().getSuppressed()).contains(closing),
                String.valueOf(line.thrown()));
    }

    @Test
    void aFailingListenerIsLoggedAndTheOthersStillRun() {
        IllegalStateException bug = new IllegalStateException("listener bug");
        AtomicBoolean secondHeard = new AtomicBoolean();
        WorkerGraph graph = WorkerGraph.builder()
                .listener(e -> {
                    throw bug;
                })
                .listener(e -> secondHeard.set(true))
                .worker(WorkerSpec.builder("a").build())
                .build();
        graph.start();
        graph.shutdown();
        assertTrue(secondHeard.get());
        Line line = log.withCode("BRKR124").get(0);
        assertLineStarts(line, Level.WARNING, "BRKR124: worker listener failed on ");
        assertTrue(line.message().contains("a"), line.message());
        assertSame(bug, line.thrown());
    }

    @Test
    void shutdownFromAListenerIsRefused() {
        AtomicReference<WorkerGraph> ref = new AtomicReference<>();
        AtomicReference<IllegalStateException> refused = new AtomicReference<>();
        WorkerGraph graph = WorkerGraph.builder()
                .listener(e -> {
                    if (e.to() == WorkerState.RUNNING && refused.get() == null) {
                        try {
                            ref.get().shutdown();
                        } catch (IllegalStateException ise) {
                            refused.set(ise);
                        }
                    }
                })
                .worker(WorkerSpec.builder("a").build())
                .build();
        ref.set(graph);
        graph.start();
        graph.shutdown();
        assertEquals("BRKR139: shutdown() called from a WorkerListener would wait for itself; use abort()",
                refused.get().getMessage());
    }

    @Test
    void aResourceBoundAfterTheShutdownIsClosedAtOnce() {
        WorkerGraph graph = WorkerGraph.builder().build();
        graph.start();
        graph.shutdown();
        AtomicBoolean closed = new AtomicBoolean();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> graph.bind(() -> closed.set(true)));
        assertTrue(closed.get());
        assertTrue(e.getMessage().startsWith("BRKR137: resources of "), e.getMessage());
        assertTrue(e.getMessage().endsWith(" are already closed: resource closed at once"), e.getMessage());
    }

    // ---- routines

    /** Opened once the graph has started: a routine that escalates at once would cancel the start. */
    private final CountDownLatch started = new CountDownLatch(1);

    /** Starts a graph of one routine, which runs {@code r} once the graph has started. */
    private WorkerGraph routine(Routine r, Policy onReturn, Policy onError) {
        WorkerGraph graph = WorkerGraph.builder()
                .worker(WorkerSpec.builder("r").routine(stop -> {
                    started.await();
                    r.run(stop);
                }).onReturn(onReturn).onError(onError).backoff(Duration.ofMinutes(1), Duration.ofMinutes(1))
                        .restartLimit(restarts, Duration.ofMinutes(1)).build())
                .build();
        graph.start();
        started.countDown();
        return graph;
    }

    private int restarts = WorkerSpec.DEFAULT_MAX_RESTARTS;

    @Test
    void aRoutineThatReturns() throws Exception {
        WorkerGraph graph = routine(stop -> { }, Policy.NOTHING, Policy.NOTHING);
        try {
            assertLine(log.await("BRKR128", WAIT), Level.INFO, "BRKR128: routine of worker 'r' returned; policy NOTHING");
        } finally {
            graph.shutdown();
        }
    }

    @Test
    void aRoutineThatThrows() throws Exception {
        RuntimeException boom = new RuntimeException("boom");
        WorkerGraph graph = routine(stop -> {
            throw boom;
        }, Policy.NOTHING, Policy.NOTHING);
        try {
            Line line = log.await("BRKR127", WAIT);
            assertLine(line, Level.WARNING, "BRKR127: routine of worker 'r' returned with " + boom + "; policy NOTHING");
            assertSame(boom, line.thrown());
        } finally {
            graph.shutdown();
        }
    }

    @Test
    void aRoutineThatLeavesItsInterruptFlagSet() throws Exception {
        WorkerGraph graph = routine(stop -> Thread.currentThread().interrupt(), Policy.NOTHING, Policy.NOTHING);
        try {
            assertLine(log.await("BRKR125", WAIT), Level.WARNING,
                    "BRKR125: routine of worker 'r' returned with its thread's interrupt flag set; flag cleared");
        } finally {
            graph.shutdown();
        }
    }

    @Test
    void aRoutineThatEndsWithAVirtualMachineErrorShutsTheGraphDown() throws Exception {
        InternalError fatal = new InternalError("fatal on purpose");
        WorkerGraph graph = routine(stop -> {
            throw fatal;
        }, Policy.RESTART, Policy.RESTART);
        ShutdownReport report = graph.terminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertSame(fatal, report.cause().orElseThrow());
        Line line = log.only("BRKR126");
        assertLine(line, Level.SEVERE, "BRKR126: routine of worker 'r' returned with " + fatal + "; shutting down");
        assertSame(fatal, line.thrown());
    }

    @Test
    void aRoutineOverItsRestartLimit() throws Exception {
        restarts = 0;
        WorkerGraph graph = routine(stop -> { }, Policy.RESTART, Policy.RESTART);
        graph.terminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertLine(log.only("BRKR129"), Level.SEVERE,
                "BRKR129: routine of worker 'r' exceeded its restart limit (0 within PT1M)");
    }

    /** An interrupt from outside the graph during the restart back-off: the graph shuts down. */
    @Test
    void aBackOffInterruptedFromOutside() throws Exception {
        AtomicReference<Thread> supervisor = new AtomicReference<>();
        WorkerGraph graph = routine(stop -> supervisor.set(Thread.currentThread()), Policy.RESTART, Policy.RESTART);
        log.await("BRKR128", WAIT); // logged on the supervisor's thread just before its back-off
        supervisor.get().interrupt();
        ShutdownReport report = graph.terminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
        String text = "BRKR130: supervisor of worker 'r' was interrupted during its restart back-off by code "
                + "outside the worker graph; shutting down rather than leaving the worker without a routine";
        assertLine(log.only("BRKR130"), Level.SEVERE, text);
        assertEquals(text, report.cause().orElseThrow().getMessage());
    }

    /** A log handler that throws makes the supervisor fail: it says so and shuts the graph down. */
    @Test
    void aSupervisorThatFails() throws Exception {
        log.failOn("BRKR128");
        WorkerGraph graph = routine(stop -> { }, Policy.NOTHING, Policy.NOTHING);
        ShutdownReport report = graph.terminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
        Line line = log.only("BRKR131");
        assertLine(line, Level.SEVERE, "BRKR131: supervisor of worker 'r' failed");
        assertSame(report.cause().orElseThrow(), line.thrown());
        assertTrue(line.thrown().getMessage().contains("BRKR128"), String.valueOf(line.thrown()));
    }

    /** A log handler that throws on the driving thread during the start: the graph's start fails, and rolls back. */
    @Test
    void theGraphsOwnStartFails() throws Exception {
        log.failOn("BRKR111");
        AtomicBoolean stopped = new AtomicBoolean();
        WorkerGraph graph = WorkerGraph.builder()
                .worker(WorkerSpec.builder("a").onStop(ctx -> stopped.set(true)).build())
                .build();
        WorkerStartException e = assertThrows(WorkerStartException.class, graph::start);
        assertTrue(e.getMessage().startsWith("BRKR114: start of the worker graph failed: "), e.getMessage());
        assertTrue(e.getMessage().contains("BRKR111"), e.getMessage());
        assertNull(e.worker());
        graph.terminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertTrue(stopped.get(), "the started worker was stopped in the rollback");
    }
}
