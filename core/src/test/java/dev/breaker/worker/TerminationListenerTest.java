package dev.breaker.worker;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link WorkerListener#onTerminated}: called once, with the report, after the last transition
 * and before {@code terminated()} completes, so that nobody who waits for the graph (a caller of
 * {@code shutdown()}, an action on {@code terminated()}, a failed {@code start()}) goes on before
 * it returned; {@code shutdown()} from it is refused; one that throws stops nothing.
 */
class TerminationListenerTest {

    @BeforeEach
    void quiet() {
        QuietLogs.apply();
    }

    /** Records the calls, and whether terminated() had completed at each. */
    static final class Spy implements WorkerListener {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final AtomicReference<ShutdownReport> report = new AtomicReference<>();
        volatile WorkerGraph graph;

        @Override
        public void onTransition(WorkerEvent event) {
            calls.add(event.worker() + ":" + event.to());
        }

        @Override
        public void onTerminated(ShutdownReport r) {
            calls.add("terminated, done=" + graph.terminated().toCompletableFuture().isDone());
            report.set(r);
        }
    }

    @Test
    void calledOnceAfterTheLastTransitionAndBeforeShutdownReturns() {
        Spy spy = new Spy();
        WorkerGraph graph = WorkerGraph.builder().worker(WorkerSpec.builder("w").build()).listener(spy).build();
        spy.graph = graph;
        graph.start();
        ShutdownReport report = graph.shutdown();
        assertSame(report, spy.report.get());
        assertEquals("terminated, done=false", spy.calls.get(spy.calls.size() - 1), spy.calls.toString());
        assertEquals(1, spy.calls.stream().filter(c -> c.startsWith("terminated")).count());
        graph.shutdown();
        assertEquals(1, spy.calls.stream().filter(c -> c.startsWith("terminated")).count(), "once");
    }

    @Test
    void calledBeforeAFailedStartThrows() {
        Spy spy = new Spy();
        WorkerGraph graph = WorkerGraph.builder().worker(WorkerSpec.builder("w").onStart(ctx -> {
            throw new IllegalStateException("no");
        }).build()).listener(spy).build();
        spy.graph = graph;
        assertThrows(WorkerStartException.class, graph::start);
        assertTrue(spy.report.get() != null, "told before start() threw");
        assertInstanceOf(WorkerStartException.class, spy.report.get().cause().orElseThrow());
    }

    @Test
    void nobodyWaitingForAnAbortedGraphGoesOnBeforeItReturns() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        WorkerListener blocking = new WorkerListener() {
            @Override
            public void onTransition(WorkerEvent event) {
            }

            @Override
            public void onTerminated(ShutdownReport report) {
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        WorkerGraph graph = WorkerGraph.builder().worker(WorkerSpec.builder("w").build()).listener(blocking).build();
        graph.start();
        CompletableFuture<ShutdownReport> waiter = graph.terminated().toCompletableFuture();
        CompletableFuture<ShutdownReport> shutdownCaller = CompletableFuture.supplyAsync(graph::shutdown);
        graph.abort(new IllegalStateException("abort"));
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        // the listener holds the end of the shutdown: nobody has been told yet
        assertFalse(waiter.isDone());
        assertFalse(shutdownCaller.isDone());
        release.countDown();
        assertSame(waiter.get(10, TimeUnit.SECONDS), shutdownCaller.get(10, TimeUnit.SECONDS));
    }

    @Test
    void shutdownFromItIsRefusedAndAThrowingOneStopsNothing() {
        AtomicReference<Throwable> refused = new AtomicReference<>();
        AtomicReference<WorkerGraph> self = new AtomicReference<>();
        Spy after = new Spy();
        WorkerGraph graph = WorkerGraph.builder().worker(WorkerSpec.builder("w").build())
                .listener(new WorkerListener() {
                    @Override
                    public void onTransition(WorkerEvent event) {
                    }

                    @Override
                    public void onTerminated(ShutdownReport report) {
                        try {
                            self.get().shutdown();
                        } catch (Throwable t) {
                            refused.set(t);
                        }
                        throw new StackOverflowError("listener bug");
                    }
                })
                .listener(after)
                .build();
        self.set(graph);
        after.graph = graph;
        graph.start();
        ShutdownReport report = graph.shutdown();
        assertInstanceOf(IllegalStateException.class, refused.get());
        assertSame(report, after.report.get(), "the next listener is still told");
        assertTrue(graph.terminated().toCompletableFuture().isDone());
    }
}
