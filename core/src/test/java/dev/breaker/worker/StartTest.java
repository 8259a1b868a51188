package dev.breaker.worker;

import dev.breaker.BreakReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Start failures roll back exactly what started; start timeouts; shutdown during start. */
@Timeout(60)
class StartTest {
    static {
        QuietLogs.apply();
    }

    private static AutoCloseable closer(List<String> log, String name) {
        return () -> log.add("close " + name);
    }

    @Test
    void failureInTheMiddleOfADiamondRollsBackExactlyTheStartedPart() {
        Recorder rec = new Recorder();
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        IllegalStateException original = new IllegalStateException("b cannot start");
        RuntimeException stopFailure = new RuntimeException("a failed to stop");
        CountDownLatch cStarting = new CountDownLatch(1);
        WorkerGraph graph = WorkerGraph.builder().listener(rec)
                .worker(WorkerSpec.builder("a").bind(closer(log, "a")).onStop(ctx -> {
                    log.add("stop a");
                    throw stopFailure;
                }).build())
                .worker(WorkerSpec.builder("b").dependsOn("a").bind(closer(log, "b")).onStart(ctx -> {
                    ctx.bind(closer(log, "b-started"));
                    assertTrue(cStarting.await(10, TimeUnit.SECONDS));
                    throw original;
                }).onStop(ctx -> log.add("stop b")).build())
                .worker(WorkerSpec.builder("c").dependsOn("a").bind(closer(log, "c")).onStart(ctx -> {
                    cStarting.countDown();
                    ctx.breaker().await(); // trips when the rollback begins; then c has started
                }).onStop(ctx -> log.add("stop c")).build())
                .worker(WorkerSpec.builder("d").dependsOn("b", "c").bind(closer(log, "d"))
                        .onStart(ctx -> log.add("start d")).onStop(ctx -> log.add("stop d")).build())
                .build();
        WorkerStartException e = assertThrows(WorkerStartException.class, graph::start);
        assertEquals("b", e.worker());
        assertSame(original, e.getCause());
        assertEquals(List.of(stopFailure), List.of(e.getSuppressed()));

        assertEquals(WorkerState.STOPPED, graph.info("c").state());
        assertEquals(WorkerState.FAILED, graph.info("a").state());
        assertEquals(WorkerState.FAILED, graph.info("b").state());
        assertSame(original, graph.info("b").failure().orElseThrow());
        assertEquals(WorkerState.NEW, graph.info("d").state());
        assertEquals(List.of(), rec.transitionsOf("d"));
        assertEquals(List.of("NEW->STARTING", "STARTING->FAILED"), rec.transitionsOf("b"));
        // c stopped before a; b's and d's stops never ran, their resources were closed
        assertTrue(log.indexOf("stop c") < log.indexOf("stop a"), log.toString());
        assertTrue(log.indexOf("close c") < log.indexOf("stop a"), log.toString());
        assertTrue(log.indexOf("close b-started") < log.indexOf("close b"), log.toString());
        assertTrue(log.indexOf("close b") < log.indexOf("stop a"), log.toString());
        assertTrue(log.contains("close d") && log.contains("close a"), log.toString());
        assertTrue(!log.contains("stop b") && !log.contains("stop d") && !log.contains("start d"), log.toString());
        rec.assertEdgesRespected(graph);

        ShutdownReport report = graph.terminated().toCompletableFuture().join();
        assertSame(e, report.cause().orElseThrow());
        assertSame(stopFailure, report.failures().get("a"));
        assertTrue(graph.stopping().isBroken());
        assertEquals(BreakReason.Kind.SHUTDOWN, graph.stopping().reason().orElseThrow().kind());
        assertThrows(WorkerStartException.class, graph::start);
    }

    @Test
    void startTimeoutFailsTheStart() {
        WorkerGraph graph = WorkerGraph.builder()
                .worker(WorkerSpec.builder("db").build())
                .worker(WorkerSpec.builder("slow").dependsOn("db").startTimeout(Duration.ofMillis(200))
                        .onStart(ctx -> new CountDownLatch(1).await()) // hangs until interrupted
                        .build())
                .build();
        long t0 = System.nanoTime();
        WorkerStartException e = assertThrows(WorkerStartException.class, graph::start);
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5));
        assertEquals("slow", e.worker());
        assertInstanceOf(TimeoutException.class, e.getCause());
        assertEquals("BRKR106: worker 'slow' did not start within PT0.2S", e.getCause().getMessage());
        assertEquals(WorkerState.FAILED, graph.info("slow").state());
        assertEquals(WorkerState.STOPPED, graph.info("db").state());
    }

    @Test
    void startBreakerTripsAtTheStartTimeout() {
        WorkerGraph graph = WorkerGraph.builder()
                .worker(WorkerSpec.builder("slow").startTimeout(Duration.ofMillis(100))
                        .onStart(ctx -> ctx.breaker().await()).build())
                .build();
        WorkerStartException e = assertThrows(WorkerStartException.class, graph::start);
        assertInstanceOf(TimeoutException.class, e.getCause());
    }

    @Test
    void shutdownDuringStartWaitsForStartsInFlightThenStopsThem() throws Exception {
        CountDownLatch slowStarting = new CountDownLatch(1);
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        WorkerGraph graph = WorkerGraph.builder()
                .worker(WorkerSpec.builder("slow").onStart(ctx -> {
                    slowStarting.countDown();
                    ctx.breaker().await(); // returns normally once shutdown begins
                }).onStop(ctx -> log.add("stop slow")).build())
                .worker(WorkerSpec.builder("after").dependsOn("slow").onStart(ctx -> log.add("start after")).build())
                .build();
        CompletableFuture<Throwable> start = CompletableFuture.supplyAsync(() -> {
            try {
                graph.start();
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        assertTrue(slowStarting.await(10, TimeUnit.SECONDS));
        ShutdownReport report = graph.shutdown();
        assertTrue(report.clean(), report.toString());
        WorkerStartException e = assertInstanceOf(WorkerStartException.class, start.get(10, TimeUnit.SECONDS));
        assertNull(e.worker());
        assertInstanceOf(CancellationException.class, e.getCause());
        assertEquals(List.of("stop slow"), log);
        assertEquals(WorkerState.STOPPED, graph.info("slow").state());
        assertEquals(WorkerState.NEW, graph.info("after").state());
    }

    @Test
    void shutdownBeforeStartClosesResourcesAndStartIsRefused() {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        WorkerGraph graph = WorkerGraph.builder()
                .worker(WorkerSpec.builder("a").bind(closer(log, "a")).onStart(ctx -> log.add("start a")).build())
                .build();
        graph.bind(closer(log, "graph"));
        assertTrue(graph.shutdown().clean());
        assertEquals(List.of("close a", "close graph"), log);
        WorkerStartException e = assertThrows(WorkerStartException.class, graph::start);
        assertNull(e.worker());
        assertEquals(WorkerState.NEW, graph.info("a").state());
    }

    @Test
    void startTwiceIsRefused() {
        WorkerGraph graph = WorkerGraph.builder().worker(WorkerSpec.builder("a").build()).build();
        graph.start();
        assertThrows(IllegalStateException.class, graph::start);
        assertTrue(graph.shutdown().clean());
    }

    @Test
    void errorsAreCaughtAndReported() {
        AssertionError error = new AssertionError("not a VM error");
        WorkerGraph graph = WorkerGraph.builder()
                .worker(WorkerSpec.builder("a").onStart(ctx -> {
                    throw error;
                }).build())
                .build();
        WorkerStartException e = assertThrows(WorkerStartException.class, graph::start);
        assertSame(error, e.getCause());
        assertEquals("BRKR107: worker 'a' failed to start: java.lang.AssertionError: not a VM error", e.getMessage());
    }
}
