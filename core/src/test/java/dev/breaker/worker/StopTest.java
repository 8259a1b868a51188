package dev.breaker.worker;

import dev.breaker.BreakReason;
import dev.breaker.worker.internal.FakeClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parallel, bounded stops; failures collected. Stop and shutdown timeouts run on a {@link FakeClock}. */
@Timeout(60)
class StopTest {
    static {
        QuietLogs.apply();
    }

    @Test
    void independentWorkersStopInParallel() throws Exception {
        int n = 24;
        CountDownLatch stopping = new CountDownLatch(n);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch starting = new CountDownLatch(n);
        WorkerGraph.Builder b = WorkerGraph.builder();
        for (int i = 0; i < n; i++) {
            b.worker(WorkerSpec.builder("w" + i)
                    .onStart(ctx -> {
                        starting.countDown();
                        assertTrue(starting.await(10, TimeUnit.SECONDS), "starts are not parallel");
                    })
                    .onStop(ctx -> {
                        stopping.countDown();
                        release.await();
                    }).build());
        }
        WorkerGraph graph = b.build();
        graph.start();
        CompletableFuture<ShutdownReport> report = CompletableFuture.supplyAsync(graph::shutdown);
        assertTrue(stopping.await(10, TimeUnit.SECONDS), "only " + (n - stopping.getCount()) + " stopping at once");
        for (int i = 0; i < n; i++) {
            assertEquals(WorkerState.STOPPING, graph.info("w" + i).state());
        }
        release.countDown();
        assertTrue(report.get(10, TimeUnit.SECONDS).clean());
    }

    /** Shuts {@code graph} down on another thread: the test moves the clock meanwhile. */
    private static CompletableFuture<ShutdownReport> shutdownAsync(WorkerGraph graph) {
        return CompletableFuture.supplyAsync(graph::shutdown);
    }

    @Test
    void hangingStopIsBoundedAndReportedAndItsDependenciesStillStop() throws Exception {
        FakeClock clock = new FakeClock();
        Recorder rec = new Recorder();
        WorkerGraph graph = clock.build(WorkerGraph.builder().listener(rec)
                .worker(WorkerSpec.builder("base").build())
                .worker(WorkerSpec.builder("mid").dependsOn("base").stopTimeout(Duration.ofMillis(300))
                        .onStop(ctx -> new CountDownLatch(1).await()) // hangs until interrupted
                        .build())
                .worker(WorkerSpec.builder("top").dependsOn("mid").build()));
        graph.start();
        CompletableFuture<ShutdownReport> shutdown = shutdownAsync(graph);
        clock.awaitPending(Duration.ofMillis(300));
        clock.advance(Duration.ofMillis(299));
        assertEquals(WorkerState.STOPPING, graph.info("mid").state(), "gave up before the stop timeout");
        assertEquals(WorkerState.RUNNING, graph.info("base").state(), "stopped before its dependent");
        clock.advance(Duration.ofMillis(1));
        ShutdownReport report = shutdown.get(10, TimeUnit.SECONDS);
        assertEquals(Set.of("mid"), report.timedOut());
        assertFalse(report.clean());
        assertTrue(report.failures().isEmpty(), report.failures().toString());
        assertEquals(Duration.ofMillis(300), report.elapsed()); // the stop timeout, and no more
        WorkerInfo mid = graph.info("mid");
        assertEquals(Duration.ofMillis(300), mid.stopDuration().orElseThrow());
        assertEquals(WorkerState.FAILED, mid.state());
        assertInstanceOf(TimeoutException.class, mid.failure().orElseThrow());
        assertEquals("BRKR118: worker 'mid' did not stop within PT0.3S", mid.failure().orElseThrow().getMessage());
        assertEquals(WorkerState.STOPPED, graph.info("base").state());
        assertEquals(WorkerState.STOPPED, graph.info("top").state());
        assertTrue(rec.stopEnd("mid") < rec.indexOf("base", WorkerState.STOPPING));
    }

    @Test
    void shutdownTimeoutBoundsTheWholeShutdown() throws Exception {
        FakeClock clock = new FakeClock();
        WorkerGraph graph = clock.build(WorkerGraph.builder().shutdownTimeout(Duration.ofMillis(400))
                .worker(WorkerSpec.builder("base").build())
                .worker(WorkerSpec.builder("top").dependsOn("base").stopTimeout(Duration.ofSeconds(30))
                        .onStop(ctx -> new CountDownLatch(1).await())
                        .build()));
        graph.start();
        CompletableFuture<ShutdownReport> shutdown = shutdownAsync(graph);
        clock.awaitPending("the shutdown timeout and top's stop timeout",
                p -> p.equals(List.of(Duration.ofMillis(400), Duration.ofSeconds(30))));
        clock.advance(Duration.ofMillis(399));
        assertEquals(WorkerState.STOPPING, graph.info("top").state(), "gave up before the shutdown timeout");
        clock.advance(Duration.ofMillis(1));
        ShutdownReport report = shutdown.get(10, TimeUnit.SECONDS);
        assertEquals(Duration.ofMillis(400), report.elapsed()); // the shutdown timeout, not top's 30 s
        assertEquals(List.of("top", "base"), new ArrayList<>(report.timedOut()));
        assertEquals("BRKR119: worker 'top' did not stop before the shutdown timeout (PT0.4S) elapsed",
                graph.info("top").failure().orElseThrow().getMessage());
        assertEquals(WorkerState.FAILED, graph.info("base").state());
    }

    @Test
    void stopFailuresAreCollectedAndDoNotKeepOthersFromStopping() {
        RuntimeException boom = new RuntimeException("boom");
        Error error = new AssertionError("bad");
        WorkerGraph graph = WorkerGraph.builder()
                .worker(WorkerSpec.builder("base").onStop(ctx -> {
                    throw error;
                }).build())
                .worker(WorkerSpec.builder("mid").dependsOn("base").onStop(ctx -> {
                    throw boom;
                }).build())
                .worker(WorkerSpec.builder("top").dependsOn("mid").build())
                .build();
        graph.start();
        ShutdownReport report = graph.shutdown();
        assertEquals(Map.of("mid", boom, "base", error), report.failures());
        assertEquals(List.of("mid", "base"), new ArrayList<>(report.failures().keySet()));
        assertTrue(report.cause().isEmpty());
        assertEquals(WorkerState.FAILED, graph.info("mid").state());
        assertSame(boom, graph.info("mid").failure().orElseThrow());
        assertEquals(WorkerState.STOPPED, graph.info("top").state());
    }

    @Test
    void stopContextHasTheStopDeadline() throws Exception {
        FakeClock clock = new FakeClock();
        AtomicReference<WorkerContext> seen = new AtomicReference<>();
        AtomicReference<Boolean> brokenAtStop = new AtomicReference<>();
        CountDownLatch inStop = new CountDownLatch(1);
        WorkerGraph graph = clock.build(WorkerGraph.builder()
                .worker(WorkerSpec.builder("db").stopTimeout(Duration.ofMillis(200)).onStop(ctx -> {
                    seen.set(WorkerContext.current().orElseThrow());
                    brokenAtStop.set(ctx.breaker().isBroken());
                    inStop.countDown();
                    ctx.breaker().await(); // trips at the stop timeout
                }).build()));
        graph.start();
        assertTrue(WorkerContext.current().isEmpty());
        CompletableFuture<ShutdownReport> shutdown = shutdownAsync(graph);
        assertTrue(inStop.await(10, TimeUnit.SECONDS));
        assertEquals(List.of(Duration.ofSeconds(25), Duration.ofMillis(200)), clock.pending()); // shutdown, stop
        clock.advance(Duration.ofMillis(200));
        ShutdownReport report = shutdown.get(10, TimeUnit.SECONDS);
        assertEquals("db", seen.get().name());
        assertFalse(brokenAtStop.get());
        assertEquals(BreakReason.Kind.TIMEOUT, seen.get().breaker().reason().orElseThrow().kind());
        assertEquals(Set.of("db"), report.timedOut());
    }
}
