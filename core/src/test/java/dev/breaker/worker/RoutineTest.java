package dev.breaker.worker;

import dev.breaker.BreakReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Supervised routines: policies, bounded restarts, abort from inside. */
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

    @Test
    void restartLimitHoldsThenEscalatesWithTheFailure() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        AtomicReference<RuntimeException> last = new AtomicReference<>();
        WorkerGraph graph = WorkerGraph.builder()
                .worker(WorkerSpec.builder("db").build())
                .worker(WorkerSpec.builder("flaky").dependsOn("db")
                        .onError(Policy.RESTART).restartLimit(3, Duration.ofMinutes(1))
                        .backoff(Duration.ofMillis(1), Duration.ofMillis(8))
                        .routine(stop -> {
                            awaitStarted();
                            RuntimeException e = new RuntimeException("run " + runs.incrementAndGet());
                            last.set(e);
                            throw e;
                        }).build())
                .build();
        start(graph);
        ShutdownReport report = terminated(graph);
        assertEquals(4, runs.get()); // the first run and 3 restarts
        assertSame(last.get(), report.cause().orElseThrow());
        assertEquals(3, graph.info("flaky").restarts());
        assertEquals(WorkerState.STOPPED, graph.info("flaky").state());
        assertEquals(WorkerState.STOPPED, graph.info("db").state());
    }

    @Test
    void restartsOutsideTheWindowDoNotCount() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        WorkerGraph graph = WorkerGraph.builder()
                .worker(WorkerSpec.builder("flaky")
                        .onReturn(Policy.RESTART).restartLimit(1, Duration.ofMillis(20))
                        .backoff(Duration.ofMillis(40), Duration.ofMillis(40))
                        .routine(stop -> runs.incrementAndGet()).build())
                .build();
        graph.start();
        Threads.await("6 runs", Duration.ofSeconds(10), () -> runs.get() >= 6);
        assertFalse(graph.stopping().isBroken());
        assertTrue(graph.shutdown().clean());
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
        WorkerGraph graph = WorkerGraph.builder()
                .worker(WorkerSpec.builder("stubborn").stopTimeout(Duration.ofMillis(200)).routine(stop -> {
                    new CountDownLatch(1).await(); // ignores the breaker, not interrupts
                }).build())
                .build();
        graph.start();
        ShutdownReport report = graph.shutdown();
        assertEquals(java.util.Set.of("stubborn"), report.timedOut());
        assertTrue(report.cause().isEmpty(), report.toString());
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
        AtomicInteger runs = new AtomicInteger();
        AtomicReference<Boolean> interruptedOnEntry = new AtomicReference<>();
        CountDownLatch secondRun = new CountDownLatch(1);
        WorkerGraph graph = WorkerGraph.builder()
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
                        }).build())
                .build();
        graph.start();
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
        AtomicReference<Thread> routineThread = new AtomicReference<>();
        CountDownLatch returned = new CountDownLatch(1);
        WorkerGraph graph = WorkerGraph.builder()
                .worker(WorkerSpec.builder("w").onReturn(Policy.RESTART).restartLimit(3, Duration.ofMinutes(1))
                        .backoff(Duration.ofMinutes(1), Duration.ofMinutes(1))
                        .routine(stop -> {
                            routineThread.set(Thread.currentThread());
                            returned.countDown();
                        }).build())
                .build();
        graph.start();
        assertTrue(returned.await(10, TimeUnit.SECONDS));
        // the supervisor is (or is about to be) in its one-minute back-off; keep interrupting until it reacts
        Threads.await("escalation", Duration.ofSeconds(10), () -> {
            routineThread.get().interrupt();
            return graph.stopping().isBroken();
        });
        ShutdownReport report = terminated(graph);
        assertTrue(report.cause().isPresent(), report.toString());
        assertTrue(report.cause().get().getMessage().contains("'w'"), report.cause().get().toString());
        assertEquals(WorkerState.STOPPED, graph.info("w").state());
    }
}
