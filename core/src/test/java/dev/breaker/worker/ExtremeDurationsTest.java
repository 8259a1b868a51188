package dev.breaker.worker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10, item 6 (engine side): every duration the builders accept, however large, saturates:
 * start, restart and shutdown work as with ordinary values.
 */
@Timeout(60)
class ExtremeDurationsTest {
    static {
        QuietLogs.apply();
    }

    static final Duration DAYS_110000 = Duration.ofDays(110_000); // 9.5e18 ns: more than a long holds
    static final Duration MAX = Duration.ofSeconds(Long.MAX_VALUE);

    @Test
    void shutdownTimeoutOf110000Days() throws Exception {
        assertStartsRestartsAndStops(DAYS_110000, DAYS_110000);
    }

    @Test
    void everyDurationAtItsMaximum() throws Exception {
        assertStartsRestartsAndStops(MAX, MAX);
    }

    @Test
    void restartsWithAMaximalWindowAndBackOffCeiling() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch secondRun = new CountDownLatch(1);
        WorkerGraph graph = WorkerGraph.builder().shutdownTimeout(MAX)
                .worker(WorkerSpec.builder("w").onReturn(Policy.RESTART).restartLimit(5, MAX)
                        .backoff(Duration.ZERO, MAX)
                        .routine(stop -> {
                            if (runs.incrementAndGet() < 3) {
                                return; // restarted at once: the back-off doubles 0
                            }
                            secondRun.countDown();
                            stop.await();
                        }).build())
                .build();
        graph.start();
        assertTrue(secondRun.await(10, TimeUnit.SECONDS), "not restarted twice: " + graph.info("w"));
        assertTrue(graph.shutdown().clean());
        assertEquals(WorkerState.STOPPED, graph.info("w").state());
    }

    private static void assertStartsRestartsAndStops(Duration shutdownTimeout, Duration each) throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch restarted = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(2);
        WorkerGraph graph = WorkerGraph.builder().shutdownTimeout(shutdownTimeout)
                .worker(WorkerSpec.builder("db").startTimeout(each).stopTimeout(each)
                        .onStart(ctx -> assertTrue(!ctx.breaker().isBroken()))
                        .onStop(ctx -> stopped.countDown()).build())
                .worker(WorkerSpec.builder("loop").dependsOn("db").startTimeout(each).stopTimeout(each)
                        .onError(Policy.RESTART).restartLimit(3, each).backoff(Duration.ofMillis(1), each)
                        .onStop(ctx -> stopped.countDown())
                        .routine(stop -> {
                            if (runs.incrementAndGet() == 1) {
                                throw new IllegalStateException("first run fails");
                            }
                            restarted.countDown();
                            stop.await();
                        }).build())
                .build();
        graph.start();
        assertTrue(restarted.await(10, TimeUnit.SECONDS), "routine not restarted: " + graph.info("loop"));
        long t0 = System.nanoTime();
        ShutdownReport report = graph.shutdown();
        assertTrue(report.clean(), report.toString());
        assertEquals(0, stopped.getCount());
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).compareTo(Duration.ofSeconds(5)) < 0);
        assertEquals(WorkerState.STOPPED, graph.info("db").state());
        assertEquals(WorkerState.STOPPED, graph.info("loop").state());
        assertEquals(1, graph.info("loop").restarts());
    }
}
