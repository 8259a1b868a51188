package dev.breaker.worker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10: the graph's own threads (the driving thread, stop threads, routine supervisors)
 * survive any {@link Throwable} from user code, {@link VirtualMachineError}s included: the
 * shutdown still completes and every other worker is stopped.
 */
@Timeout(60)
class FatalErrorsTest {
    static {
        QuietLogs.apply();
    }

    @Test
    void errorsFromAStopARoutineAListenerAndAResourceDoNotKeepTheOthersFromStopping() throws Exception {
        StackOverflowError stopError = new StackOverflowError("stop overflowed (thrown explicitly)");
        OutOfMemoryError routineError = new OutOfMemoryError("routine out of memory (thrown explicitly)");
        OutOfMemoryError resourceError = new OutOfMemoryError("close out of memory (thrown explicitly)");
        StackOverflowError listenerError = new StackOverflowError("listener overflowed (thrown explicitly)");
        AtomicInteger listenerCalls = new AtomicInteger();
        AtomicInteger stops = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(1);
        WorkerGraph graph = WorkerGraph.builder()
                .listener(e -> {
                    listenerCalls.incrementAndGet();
                    throw listenerError; // on every transition, on the driving thread
                })
                .worker(WorkerSpec.builder("base").onStop(ctx -> stops.incrementAndGet()).build())
                .worker(WorkerSpec.builder("overflowing").dependsOn("base").onStop(ctx -> {
                    throw stopError;
                }).bind(() -> {
                    throw resourceError;
                }).build())
                .worker(WorkerSpec.builder("failing").dependsOn("base").routine(stop -> {
                    started.await();
                    throw routineError; // escalates a shutdown
                }).onStop(ctx -> stops.incrementAndGet()).build())
                .worker(WorkerSpec.builder("top").dependsOn("overflowing", "failing")
                        .onStop(ctx -> stops.incrementAndGet()).build())
                .build();
        graph.bind(() -> {
            throw new StackOverflowError("graph resource overflowed (thrown explicitly)");
        });
        graph.start();
        started.countDown();
        ShutdownReport report = graph.terminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertSame(routineError, report.cause().orElseThrow());
        assertEquals(3, stops.get(), "base, failing and top must have stopped: " + graph.workers());
        assertEquals(WorkerState.STOPPED, graph.info("base").state());
        assertEquals(WorkerState.STOPPED, graph.info("top").state());
        assertEquals(WorkerState.STOPPED, graph.info("failing").state());
        assertEquals(WorkerState.FAILED, graph.info("overflowing").state());
        assertSame(stopError, report.failures().get("overflowing"));
        assertSame(resourceError, stopError.getSuppressed()[0]);
        assertTrue(report.failures().get(WorkerGraph.DEFAULT_JOBS) == null);
        assertTrue(report.failures().get("(graph)") instanceof StackOverflowError, report.toString());
        assertTrue(report.timedOut().isEmpty(), report.toString());
        assertTrue(listenerCalls.get() >= 2 * 5, "the listener was not called for every transition");
        assertSame(report, graph.shutdown());
    }

    @Test
    void aVirtualMachineErrorFromARoutineEscalatesWhateverItsPolicy() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch thrown = new CountDownLatch(1);
        WorkerGraph graph = WorkerGraph.builder()
                .worker(WorkerSpec.builder("w").onError(Policy.NOTHING).stopTimeout(Duration.ofSeconds(5))
                        .routine(stop -> {
                            started.await();
                            thrown.countDown();
                            throw new StackOverflowError("thrown explicitly");
                        }).build())
                .worker(WorkerSpec.builder("other").build())
                .build();
        graph.start();
        started.countDown();
        assertTrue(thrown.await(10, TimeUnit.SECONDS));
        ShutdownReport report = graph.terminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertTrue(report.cause().orElseThrow() instanceof StackOverflowError, report.toString());
        assertEquals(Set.of(), report.timedOut());
        assertEquals(WorkerState.STOPPED, graph.info("w").state());
        assertEquals(WorkerState.STOPPED, graph.info("other").state());
    }
}
