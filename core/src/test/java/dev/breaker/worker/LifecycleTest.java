package dev.breaker.worker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Idempotent, thread-safe shutdown; no thread left behind; observability. */
@Timeout(60)
class LifecycleTest {
    static {
        QuietLogs.apply();
    }

    @Test
    void shutdownIsIdempotentFromManyThreads() throws Exception {
        AtomicInteger stops = new AtomicInteger();
        WorkerGraph graph = WorkerGraph.builder()
                .worker(WorkerSpec.builder("a").onStop(ctx -> stops.incrementAndGet()).build())
                .worker(WorkerSpec.builder("b").dependsOn("a").onStop(ctx -> stops.incrementAndGet()).build())
                .build();
        graph.start();
        int n = 8;
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<ShutdownReport>> reports = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            CompletableFuture<ShutdownReport> f = new CompletableFuture<>();
            reports.add(f);
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    f.complete(graph.shutdown());
                } catch (Throwable e) {
                    f.completeExceptionally(e);
                }
            });
            threads.add(t);
            t.start();
        }
        go.countDown();
        ShutdownReport first = reports.get(0).get(10, TimeUnit.SECONDS);
        for (CompletableFuture<ShutdownReport> f : reports) {
            assertSame(first, f.get(10, TimeUnit.SECONDS));
        }
        for (Thread t : threads) {
            t.join(10_000);
        }
        assertEquals(2, stops.get());
        assertSame(first, graph.shutdown());
        graph.close();
        assertSame(first, graph.terminated().toCompletableFuture().get());
    }

    @Test
    void noThreadIsLeftAliveAfterShutdown() throws Exception {
        int baseline = Threads.liveThreads();
        CountDownLatch routinesRunning = new CountDownLatch(10);
        WorkerGraph.Builder b = WorkerGraph.builder();
        for (int i = 0; i < 10; i++) {
            b.worker(WorkerSpec.builder("r" + i).routine(stop -> {
                routinesRunning.countDown();
                stop.await();
            }).build());
        }
        b.worker(WorkerSpec.builder("hung").stopTimeout(Duration.ofMillis(100))
                .onStop(ctx -> new CountDownLatch(1).await()).build());
        WorkerGraph graph = b.build();
        graph.start();
        assertTrue(routinesRunning.await(10, TimeUnit.SECONDS));
        List<CompletableFuture<Integer>> jobs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int v = i;
            jobs.add(graph.jobs().submit(() -> v));
        }
        for (int i = 0; i < 20; i++) {
            assertEquals(i, jobs.get(i).get(10, TimeUnit.SECONDS));
        }
        if (Runtime.version().feature() < 21) { // platform threads, visible to Thread.getAllStackTraces
            assertFalse(Threads.workerThreads().isEmpty());
        }
        ShutdownReport report = graph.shutdown();
        assertEquals(java.util.Set.of("hung"), report.timedOut());
        Threads.assertNoneLeft(baseline);
    }

    @Test
    void noThreadIsLeftAfterARollbackOrAnAbort() {
        int baseline = Threads.liveThreads();
        WorkerGraph failing = WorkerGraph.builder()
                .worker(WorkerSpec.builder("ok").routine(stop -> stop.await()).build())
                .worker(WorkerSpec.builder("bad").dependsOn("ok").onStart(ctx -> {
                    throw new IllegalStateException("bad");
                }).build())
                .build();
        try {
            failing.start();
        } catch (WorkerStartException expected) {
            // rolled back
        }
        WorkerGraph aborted = WorkerGraph.builder()
                .worker(WorkerSpec.builder("w").routine(stop -> stop.await()).build()).build();
        aborted.start();
        aborted.abort(new RuntimeException("enough"));
        aborted.terminated().toCompletableFuture().join();
        Threads.assertNoneLeft(baseline);
    }

    @Test
    void shutdownFromInsideTheGraphIsRefused() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<WorkerGraph> self = new AtomicReference<>();
        WorkerGraph graph = WorkerGraph.builder()
                .worker(WorkerSpec.builder("w").onStop(ctx -> {
                    try {
                        self.get().shutdown();
                    } catch (Throwable t) {
                        thrown.set(t);
                    }
                }).build())
                .build();
        self.set(graph);
        graph.start();
        assertTrue(graph.shutdown().clean());
        assertInstanceOf(IllegalStateException.class, thrown.get());
        assertEquals("BRKR138: shutdown() called from worker 'w' of the same graph would wait for itself; "
                + "use abort() or WorkerContext.abort()", thrown.get().getMessage());
    }

    @Test
    void shutdownFromAListenerIsRefused() {
        AtomicReference<WorkerGraph> self = new AtomicReference<>();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        WorkerGraph graph = WorkerGraph.builder()
                .listener(e -> {
                    if (e.to() == WorkerState.RUNNING && thrown.get() == null) {
                        try {
                            self.get().shutdown();
                        } catch (Throwable t) {
                            thrown.set(t);
                        }
                    }
                })
                .worker(WorkerSpec.builder("a").build())
                .build();
        self.set(graph);
        graph.start();
        assertInstanceOf(IllegalStateException.class, thrown.get());
        assertTrue(graph.shutdown().clean());
    }

    @Test
    void listenerSeesEveryTransitionAndItsFailuresAreIgnored() {
        Recorder rec = new Recorder();
        WorkerGraph graph = WorkerGraph.builder()
                .listener(e -> {
                    throw new IllegalStateException("listener bug");
                })
                .listener(rec)
                .worker(WorkerSpec.builder("a").onStart(ctx -> { }).build())
                .build();
        graph.start();
        assertTrue(graph.shutdown().clean());
        assertEquals(List.of("NEW->STARTING", "STARTING->RUNNING", "RUNNING->STOPPING", "STOPPING->STOPPED"),
                rec.transitionsOf("a"));
        for (WorkerEvent e : rec.events()) {
            boolean endsPhase = e.from() == WorkerState.STARTING || e.from() == WorkerState.STOPPING;
            assertEquals(endsPhase, !e.elapsed().isZero() || endsPhase, e.toString());
            if (!endsPhase) {
                assertEquals(Duration.ZERO, e.elapsed(), e.toString());
            }
        }
    }

    @Test
    void stoppingTripsWhenShutdownBeginsAndCannotBeClosedByUsers() {
        WorkerGraph graph = WorkerGraph.builder().worker(WorkerSpec.builder("a").build()).build();
        graph.start();
        graph.stopping().close(); // no effect
        assertFalse(graph.stopping().isBroken());
        assertFalse(graph.terminated().toCompletableFuture().isDone());
        graph.shutdown();
        assertTrue(graph.stopping().isBroken());
        assertTrue(graph.terminated().toCompletableFuture().isDone());
    }
}
