package dev.breaker.worker;

import dev.breaker.worker.internal.FakeClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10, item 3: a stop that ignores interrupts and never returns costs its own stop timeout
 * and nothing more; it never delays {@code shutdown()}'s return or another worker's stop, however
 * many there are, and the report names the thread it left behind.
 */
@Timeout(60)
class HungStopTest {
    static {
        QuietLogs.apply();
    }

    /** Holds every hung stop until the test is over, so that no thread outlives the test. */
    private final CountDownLatch release = new CountDownLatch(1);
    private final Set<Thread> hung = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** A stop that ignores its breaker and every interrupt, and returns only when the test ends. */
    private WorkerAction neverReturns(AtomicInteger began) {
        return ctx -> {
            hung.add(Thread.currentThread());
            began.incrementAndGet();
            while (true) {
                try {
                    release.await();
                    return;
                } catch (InterruptedException ignored) {
                    // a hostile stop: it swallows the interrupt and keeps waiting
                }
            }
        };
    }

    @AfterEach
    void releaseHungStops() throws InterruptedException {
        release.countDown();
        for (Thread t : hung) {
            t.join(10_000);
            assertTrue(!t.isAlive(), "hung stop thread did not end after release: " + t.getName());
        }
    }

    /** On a {@link FakeClock}: the shutdown's time is the hung stop's timeout, exactly. */
    @Test
    void aStopThatNeverReturnsCostsItsStopTimeoutNotTheShutdownTimeout() throws Exception {
        FakeClock clock = new FakeClock();
        AtomicInteger began = new AtomicInteger();
        Recorder rec = new Recorder();
        WorkerGraph graph = clock.build(WorkerGraph.builder().shutdownTimeout(Duration.ofSeconds(10)).listener(rec)
                .worker(WorkerSpec.builder("base").build())
                .worker(WorkerSpec.builder("hung").dependsOn("base").stopTimeout(Duration.ofMillis(300))
                        .onStop(neverReturns(began)).build()));
        graph.start();
        CompletableFuture<ShutdownReport> shutdown = CompletableFuture.supplyAsync(graph::shutdown);
        clock.awaitPending(Duration.ofMillis(300));
        clock.advance(Duration.ofMillis(300));
        long t0 = System.nanoTime();
        ShutdownReport report = shutdown.get(10, TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - t0); // real time: it does not wait for the hung thread
        assertTrue(took.compareTo(Duration.ofSeconds(3)) < 0, "shutdown() took " + took + ": " + report);
        assertEquals(Duration.ofMillis(300), report.elapsed(), report.toString());
        assertEquals(1, began.get());
        assertEquals(Set.of("hung"), report.timedOut());
        assertEquals(WorkerState.FAILED, graph.info("hung").state());
        assertEquals(WorkerState.STOPPED, graph.info("base").state());
        assertTrue(rec.stopEnd("hung") < rec.indexOf("base", WorkerState.STOPPING));
        assertEquals(Duration.ofMillis(300), graph.info("hung").stopDuration().orElseThrow());
        Thread thread = hung.iterator().next();
        assertEquals(Set.of(thread.getName()), report.abandonedThreads(), report.toString());
        assertTrue(thread.getName().startsWith("breaker-worker-") && thread.getName().contains("hung"), thread.getName());
        assertTrue(graph.terminated().toCompletableFuture().isDone());
    }

    @Test
    void aHundredOverrunningStopsNeitherQueueNorDelayAnotherWorkersStop() throws Exception {
        int n = 100; // more than the 64 threads of the JDK 17 pool
        AtomicInteger began = new AtomicInteger();
        CountDownLatch baseStopped = new CountDownLatch(1);
        CountDownLatch otherStopped = new CountDownLatch(1);
        WorkerGraph.Builder b = WorkerGraph.builder().shutdownTimeout(Duration.ofSeconds(20))
                .worker(WorkerSpec.builder("base").stopTimeout(Duration.ofSeconds(5))
                        .onStop(ctx -> baseStopped.countDown()).build())
                // independent of the hung ones, launched together with them
                .worker(WorkerSpec.builder("other").stopTimeout(Duration.ofSeconds(5))
                        .onStop(ctx -> otherStopped.countDown()).build());
        Set<String> names = new HashSet<>();
        for (int i = 0; i < n; i++) {
            names.add("hung" + i);
            b.worker(WorkerSpec.builder("hung" + i).dependsOn("base").stopTimeout(Duration.ofMillis(300))
                    .onStop(neverReturns(began)).build());
        }
        WorkerGraph graph = b.build();
        graph.start();
        long t0 = System.nanoTime();
        CompletableFuture<ShutdownReport> shutdown = CompletableFuture.supplyAsync(graph::shutdown);
        ShutdownReport report = shutdown.get(30, TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertEquals(n, began.get(), "every stop body must start");
        assertEquals(0, otherStopped.getCount(), "the independent worker's stop never ran");
        assertEquals(0, baseStopped.getCount(), "the dependency's stop never ran");
        assertEquals(WorkerState.STOPPED, graph.info("base").state(), graph.info("base").toString());
        assertEquals(WorkerState.STOPPED, graph.info("other").state(), graph.info("other").toString());
        assertEquals(names, report.timedOut());
        for (String name : names) {
            Duration d = graph.info(name).stopDuration().orElseThrow();
            assertTrue(d.compareTo(Duration.ofMillis(290)) >= 0, name + " stop clock started before its body: " + d);
            assertTrue(d.compareTo(Duration.ofSeconds(3)) < 0, name + " took " + d);
        }
        assertEquals(n, report.abandonedThreads().size(), report.abandonedThreads().toString());
        assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "shutdown() took " + took);
    }

    /**
     * Far more overrunning stops than the JDK 17 pool has threads (200 against 64): they all
     * begin before any of them times out, rather than in waves of 64, each a stop timeout long,
     * so the shutdown costs one stop timeout, not four. On a {@link FakeClock}: no time passes
     * until all 200 stop timeouts (each created as its body begins) are pending.
     */
    @Test
    void farMoreOverrunningStopsThanPoolThreadsAllBeginBeforeAnyTimesOut() throws Exception {
        int n = 200;
        FakeClock clock = new FakeClock();
        AtomicInteger began = new AtomicInteger();
        WorkerAction hungStop = neverReturns(began);
        WorkerGraph.Builder b = WorkerGraph.builder().shutdownTimeout(Duration.ofSeconds(30))
                .worker(WorkerSpec.builder("base").build());
        for (int i = 0; i < n; i++) {
            b.worker(WorkerSpec.builder("hung" + i).dependsOn("base").stopTimeout(Duration.ofSeconds(2))
                    .onStop(hungStop).build());
        }
        WorkerGraph graph = clock.build(b);
        graph.start();
        CompletableFuture<ShutdownReport> shutdown = CompletableFuture.supplyAsync(graph::shutdown);
        // in waves of 64, only 64 would be pending until the first wave timed out
        clock.awaitPending("200 stop timeouts pending at once",
                p -> p.stream().filter(Duration.ofSeconds(2)::equals).count() == n);
        clock.advance(Duration.ofSeconds(2));
        ShutdownReport report = shutdown.get(40, TimeUnit.SECONDS);
        Threads.await("every stop body began", Duration.ofSeconds(10), () -> began.get() == n);
        assertEquals(n, report.timedOut().size());
        assertEquals(WorkerState.STOPPED, graph.info("base").state());
        assertEquals(Duration.ofSeconds(2), report.elapsed(), "one stop timeout, not waves of them");
    }

    /**
     * Item 4, engine side: a start that ignores its breaker (tripped when shutdown begins) and
     * every interrupt is given up on after its stop timeout, so the rollback of what did start
     * still runs, long before the shutdown timeout.
     */
    @Test
    void aStartThatNeverGivesWayIsAbandonedAfterItsStopTimeoutAndTheRestIsRolledBack() throws Exception {
        AtomicInteger began = new AtomicInteger();
        CountDownLatch starting = new CountDownLatch(1);
        CountDownLatch storeStopped = new CountDownLatch(1);
        WorkerAction neverReturns = neverReturns(began);
        WorkerGraph graph = WorkerGraph.builder().shutdownTimeout(Duration.ofSeconds(10))
                .worker(WorkerSpec.builder("store").onStop(ctx -> storeStopped.countDown()).build())
                .worker(WorkerSpec.builder("stuck").dependsOn("store").stopTimeout(Duration.ofMillis(300))
                        .onStart(ctx -> {
                            starting.countDown();
                            neverReturns.run(ctx);
                        }).build())
                .build();
        CompletableFuture<Throwable> start = CompletableFuture.supplyAsync(() -> {
            try {
                graph.start();
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        assertTrue(starting.await(10, TimeUnit.SECONDS));
        long t0 = System.nanoTime();
        ShutdownReport report = graph.shutdown();
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertTrue(took.compareTo(Duration.ofSeconds(3)) < 0, "shutdown() took " + took + ": " + report);
        assertTrue(start.get(10, TimeUnit.SECONDS) instanceof WorkerStartException);
        assertEquals(0, storeStopped.getCount(), "the rollback did not stop 'store': " + report);
        assertEquals(WorkerState.STOPPED, graph.info("store").state());
        assertEquals(WorkerState.FAILED, graph.info("stuck").state());
        assertEquals("BRKR109: worker 'stuck' was still starting PT0.3S (its stop timeout) after shutdown began",
                graph.info("stuck").failure().orElseThrow().getMessage());
        assertEquals(Set.of("stuck"), report.timedOut());
        assertEquals(Set.of("breaker-worker-start-stuck"), report.abandonedThreads());
    }
}
