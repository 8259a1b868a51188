package dev.breaker.worker;

import dev.breaker.BreakReason;
import dev.breaker.worker.internal.FakeClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Supervised routines: policies, bounded restarts, abort from inside. Restart windows, back-offs
 * and stop timeouts run on a {@link FakeClock}: the test moves the time, nothing sleeps.
 */
@Timeout(60)
class RoutineTest {
    static {
        QuietLogs.apply();
    }

    private static ShutdownReport terminated(WorkerGraph graph) throws Exception {
        return graph.terminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Released once start() has returned: routines run as soon as their worker is RUNNING. */
    private final CountDownLatch started = new CountDownLatch(1);

    private void start(WorkerGraph graph) {
        graph.start();
        started.countDown();
    }

    private void awaitStarted() throws InterruptedException {
        assertTrue(started.await(10, TimeUnit.SECONDS));
    }

    @Test
    void routineRunsUntilAskedToStop() throws Exception {
        AtomicReference<BreakReason> reason = new AtomicReference<>();
        AtomicReference<String> ctxName = new AtomicReference<>();
        CountDownLatch running = new CountDownLatch(1);
        WorkerGraph graph = WorkerGraph.builder()
                .worker(WorkerSpec.builder("loop").routine(stop -> {
                    ctxName.set(WorkerContext.current().orElseThrow().name());
                    running.countDown();
                    stop.await();
                    reason.set(stop.reason().orElseThrow());
                }).build())
                .build();
        graph.start();
        assertTrue(running.await(10, TimeUnit.SECONDS));
        assertTrue(graph.shutdown().clean());
        assertEquals("loop", ctxName.get());
        assertEquals(BreakReason.Kind.SHUTDOWN, reason.get().kind());
    }

    /** Inside a routine, CurrentBreaker finds the routine's breaker: it trips when the routine is asked to stop. */
    @Test
    void theCurrentBreakerInARoutineIsTheRoutines() throws Exception {
        AtomicReference<dev.breaker.Breaker> current = new AtomicReference<>();
        AtomicReference<BreakReason> currentReason = new AtomicReference<>();
        CountDownLatch running = new CountDownLatch(1);
        WorkerGraph graph = WorkerGraph.builder()
                .worker(WorkerSpec.builder("loop").routine(stop -> {
                    current.set(dev.breaker.CurrentBreaker.get().orElseThrow());
                    running.countDown();
                    stop.await();
                    currentReason.set(current.get().reason().orElse(null));
                }).build())
                .build();
        graph.start();
        assertTrue(running.await(10, TimeUnit.SECONDS));
        assertTrue(!current.get().isBroken(), "live while the routine runs");
        assertTrue(graph.shutdown().clean());
        assertEquals(BreakReason.Kind.SHUTDOWN, currentReason.get().kind(), "tripped with the routine's stop");
    }

    /**
     * Waits until run {@code run} of the routine has ended and its supervisor waits out a
     * back-off, the only timeout pending, of exactly {@code backoff}; then shows that the back-off
     * does not end a nanosecond early, and ends it.
     */
    private static void backOff(FakeClock clock, AtomicInteger runs, int run, Duration backoff) throws Exception {
        clock.awaitPending("run " + run + " then a back-off of " + backoff,
                p -> runs.get() == run && p.equals(List.of(backoff)));
        clock.advance(backoff.minusNanos(1));
        assertEquals(List.of(backoff), clock.pending(), "the back-off ended early");
        assertEquals(run, runs.get());
        clock.advance(Duration.ofNanos(1));
    }

    @Test
    void restartLimitHoldsThenEscalatesWithTheFailureAfterBackOffsThatDoubleUpToTheirMaximum() throws Exception {
        FakeClock clock = new FakeClock();
        AtomicInteger runs = new AtomicInteger();
        AtomicReference<RuntimeException> last = new AtomicReference<>();
        WorkerGraph graph = clock.build(WorkerGraph.builder()
                .worker(WorkerSpec.builder("db").build())
                .worker(WorkerSpec.builder("flaky").dependsOn("db")
                        .onError(Policy.RESTART).restartLimit(5, Duration.ofMinutes(1))
                        .backoff(Duration.ofMillis(1), Duration.ofMillis(8))
                        .routine(stop -> {
                            awaitStarted();
                            RuntimeException e = new RuntimeException("run " + runs.incrementAndGet());
                            last.set(e);
                            throw e;
                        }).build()));
        start(graph);
        int run = 1;
        for (long ms : new long[] {1, 2, 4, 8, 8}) { // doubling from 1 ms, capped at 8 ms
            backOff(clock, runs, run++, Duration.ofMillis(ms));
        }
        ShutdownReport report = terminated(graph);
        assertEquals(6, runs.get()); // the first run and 5 restarts, all within 23 ms of the window's minute
        assertSame(last.get(), report.cause().orElseThrow());
        assertEquals(5, graph.info("flaky").restarts());
        assertEquals(WorkerState.STOPPED, graph.info("flaky").state());
        assertEquals(WorkerState.STOPPED, graph.info("db").state());
    }

    @Test
    void restartsOutsideTheWindowDoNotCount() throws Exception {
        FakeClock clock = new FakeClock();
        AtomicInteger runs = new AtomicInteger();
        WorkerGraph graph = clock.build(WorkerGraph.builder()
                .worker(WorkerSpec.builder("flaky")
                        .onReturn(Policy.RESTART).restartLimit(1, Duration.ofMillis(20))
                        .backoff(Duration.ofMillis(40), Duration.ofMillis(40))
                        .routine(stop -> runs.incrementAndGet()).build()));
        graph.start();
        for (int run = 1; run <= 5; run++) { // each restart 40 ms after the last: never 2 within 20 ms
            backOff(clock, runs, run, Duration.ofMillis(40));
        }
        clock.awaitPending("6 runs", p -> runs.get() == 6 && p.equals(List.of(Duration.ofMillis(40))));
        assertFalse(graph.stopping().isBroken());
        assertEquals(5, graph.info("flaky").restarts());
        assertTrue(graph.shutdown().clean());
    }

    @Test
    void restartsInsideTheWindowCount() throws Exception {
        FakeClock clock = new FakeClock();
        AtomicInteger runs = new AtomicInteger();
        WorkerGraph graph = clock.build(WorkerGraph.builder()
                .worker(WorkerSpec.builder("flaky")
                        .onReturn(Policy.RESTART).restartLimit(1, Duration.ofMillis(20))
                        .backoff(Duration.ofMillis(10), Duration.ofMillis(10))
                        .routine(stop -> runs.incrementAndGet()).build()));
        graph.start();
        backOff(clock, runs, 1, Duration.ofMillis(10)); // the second run ends 10 ms after the first restart
        ShutdownReport report = terminated(graph);
        assertEquals(2, runs.get());
        assertEquals("BRKR129: routine of worker 'flaky' exceeded its restart limit (1 within PT0.02S)",
                report.cause().orElseThrow().getMessage());
    }

    @Test
    void returnedRoutineWithRestartLimitZeroEscalatesAtOnce() throws Exception {
        WorkerGraph graph = WorkerGraph.builder()
                .worker(WorkerSpec.builder("once").onReturn(Policy.RESTART).restartLimit(0, Duration.ofMinutes(1))
                        .routine(stop -> awaitStarted()).build())
                .build();
        start(graph);
        ShutdownReport report = terminated(graph);
        assertEquals("BRKR129: routine of worker 'once' exceeded its restart limit (0 within PT1M)",
                report.cause().orElseThrow().getMessage());
    }

    @Test
    void abortFromInsideARoutineStopsEverythingWithThatCause() throws Exception {
        IllegalStateException cause = new IllegalStateException("lost the database");
        WorkerGraph graph = WorkerGraph.builder()
                .worker(WorkerSpec.builder("db").build())
                .worker(WorkerSpec.builder("watcher").dependsOn("db").routine(stop -> {
                    awaitStarted();
                    WorkerContext.current().orElseThrow().abort(cause);
                    WorkerContext.current().orElseThrow().abort(new RuntimeException("second cause loses"));
                    stop.await();
                }).build())
                .worker(WorkerSpec.builder("http").dependsOn("watcher").build())
                .build();
        start(graph);
        ShutdownReport report = terminated(graph);
        assertSame(cause, report.cause().orElseThrow());
        assertTrue(report.failures().isEmpty() && report.timedOut().isEmpty());
        for (WorkerInfo i : graph.workers()) {
            assertEquals(WorkerState.STOPPED, i.state(), i.name());
        }
        assertSame(report, graph.shutdown());
    }

    @Test
    void nothingPolicyKeepsTheWorkerRunningAndRecordsTheFailure() throws Exception {
        RuntimeException boom = new RuntimeException("boom");
        CountDownLatch thrown = new CountDownLatch(1);
        WorkerGraph graph = WorkerGraph.builder()
                .worker(WorkerSpec.builder("w").onError(Policy.NOTHING).routine(stop -> {
                    thrown.countDown();
                    throw boom;
                }).build())
                .build();
        graph.start();
        assertTrue(thrown.await(10, TimeUnit.SECONDS));
        Threads.await("failure recorded", Duration.ofSeconds(10), () -> graph.info("w").failure().isPresent());
        assertSame(boom, graph.info("w").failure().orElseThrow());
        assertEquals(WorkerState.RUNNING, graph.info("w").state());
        assertFalse(graph.stopping().isBroken());
        assertTrue(graph.shutdown().clean());
    }

    @Test
    void errorFromARoutineIsCaughtAndEscalatedByDefault() throws Exception {
        AssertionError error = new AssertionError("routine broke");
        WorkerGraph graph = WorkerGraph.builder()
                .worker(WorkerSpec.builder("w").routine(stop -> {
                    awaitStarted();
                    throw error;
                }).build())
                .build();
        start(graph);
        assertSame(error, terminated(graph).cause().orElseThrow());
    }

    @Test
    void returnWithShutdownPolicyIsACleanShutdown() throws Exception {
        WorkerGraph graph = WorkerGraph.builder()
                .worker(WorkerSpec.builder("batch").onReturn(Policy.SHUTDOWN).routine(stop -> awaitStarted()).build())
                .build();
        start(graph);
        assertTrue(terminated(graph).clean());
    }

    @Test
    void routineThatIgnoresItsBreakerIsInterruptedAtTheStopTimeout() throws Exception {
        FakeClock clock = new FakeClock();
        WorkerGraph graph = clock.build(WorkerGraph.builder()
                .worker(WorkerSpec.builder("stubborn").stopTimeout(Duration.ofMillis(200)).routine(stop -> {
                    new CountDownLatch(1).await(); // ignores the breaker, not interrupts
                }).build()));
        graph.start();
        CompletableFuture<ShutdownReport> shutdown = CompletableFuture.supplyAsync(graph::shutdown);
        clock.awaitPending(Duration.ofMillis(200));
        clock.advance(Duration.ofMillis(199));
        assertEquals(WorkerState.STOPPING, graph.info("stubborn").state(), "gave up before the stop timeout");
        clock.advance(Duration.ofMillis(1));
        ShutdownReport report = shutdown.get(10, TimeUnit.SECONDS);
        assertEquals(java.util.Set.of("stubborn"), report.timedOut());
        assertTrue(report.cause().isEmpty(), report.toString());
        assertEquals(Duration.ofMillis(200), graph.info("stubborn").stopDuration().orElseThrow());
        assertEquals(Duration.ofMillis(200), report.elapsed());
    }

    /** Issue 10, item 9b: a routine that leaks its interrupt flag is restarted, not silenced. */
    @Test
    void restartRoutineThatReturnsWithItsInterruptFlagSetIsRestartedAfterABackOff() throws Exception {
        assertLeakedInterruptIsRestarted(Duration.ofMillis(1));
    }

    @Test
    void restartRoutineThatReturnsWithItsInterruptFlagSetIsRestartedWithoutBackOff() throws Exception {
        assertLeakedInterruptIsRestarted(Duration.ZERO);
    }

    private void assertLeakedInterruptIsRestarted(Duration backoff) throws Exception {
        FakeClock clock = new FakeClock();
        AtomicInteger runs = new AtomicInteger();
        AtomicReference<Boolean> interruptedOnEntry = new AtomicReference<>();
        CountDownLatch secondRun = new CountDownLatch(1);
        WorkerGraph graph = clock.build(WorkerGraph.builder()
                .worker(WorkerSpec.builder("w").onReturn(Policy.RESTART).restartLimit(3, Duration.ofMinutes(1))
                        .backoff(backoff, backoff.multipliedBy(8))
                        .routine(stop -> {
                            if (runs.incrementAndGet() == 1) {
                                Thread.currentThread().interrupt(); // leaks the flag
                                return;
                            }
                            interruptedOnEntry.compareAndSet(null, Thread.currentThread().isInterrupted());
                            secondRun.countDown();
                            stop.await();
                        }).build()));
        graph.start();
        if (!backoff.isZero()) {
            backOff(clock, runs, 1, backoff); // the leaked interrupt did not cut the back-off short
        }
        assertTrue(secondRun.await(10, TimeUnit.SECONDS), "the routine died silently: " + graph.info("w"));
        assertEquals(Boolean.FALSE, interruptedOnEntry.get(), "the leaked interrupt reached the next run");
        assertEquals(1, graph.info("w").restarts());
        assertEquals(WorkerState.RUNNING, graph.info("w").state());
        assertTrue(graph.shutdown().clean());
        assertEquals(2, runs.get());
    }

    /** Issue 10, item 9b: an interrupt during the back-off, from outside the graph, escalates. */
    @Test
    void foreignInterruptDuringTheBackOffEscalatesInsteadOfEndingTheSupervisorSilently() throws Exception {
        FakeClock clock = new FakeClock();
        AtomicReference<Thread> routineThread = new AtomicReference<>();
        CountDownLatch returned = new CountDownLatch(1);
        WorkerGraph graph = clock.build(WorkerGraph.builder()
                .worker(WorkerSpec.builder("w").onReturn(Policy.RESTART).restartLimit(3, Duration.ofMinutes(1))
                        .backoff(Duration.ofMinutes(1), Duration.ofMinutes(1))
                        .routine(stop -> {
                            routineThread.set(Thread.currentThread());
                            returned.countDown();
                        }).build()));
        graph.start();
        assertTrue(returned.await(10, TimeUnit.SECONDS));
        clock.awaitPending(Duration.ofMinutes(1)); // the supervisor is in (or entering) its one-minute back-off
        routineThread.get().interrupt(); // once: no fake time passes, so only the interrupt can end the back-off
        ShutdownReport report = terminated(graph);
        assertTrue(report.cause().isPresent(), report.toString());
        assertTrue(report.cause().get().getMessage().contains("'w'"), report.cause().get().toString());
        assertEquals(WorkerState.STOPPED, graph.info("w").state());
    }
}
