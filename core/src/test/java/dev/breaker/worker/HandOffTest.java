package dev.breaker.worker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A body that ends takes the next steps itself (records its end, tells the listeners, launches
 * what its end made ready and runs the first of those) instead of handing its end to the driving
 * thread and the next body to another thread. These tests pin that down, and hammer the phases
 * with bodies that end, throw and overrun at the same moments as their timeouts fire, so that
 * ends handled on body threads race the driver's handling of timeouts.
 */
@Timeout(120)
class HandOffTest {
    static {
        QuietLogs.apply();
    }

    private static final int CHAIN = 100;

    /** Records on which thread each worker's stop and start were reported done. */
    private static final class Reporters implements WorkerListener {
        final Map<String, Thread> started = new HashMap<>();
        final Map<String, Thread> stopped = new HashMap<>();

        @Override
        public synchronized void onTransition(WorkerEvent e) {
            if (e.to() == WorkerState.RUNNING) {
                started.put(e.worker(), Thread.currentThread());
            } else if (e.to() == WorkerState.STOPPED) {
                stopped.put(e.worker(), Thread.currentThread());
            }
        }

        synchronized long startedOn(Thread t) {
            return started.values().stream().filter(x -> x == t).count();
        }

        synchronized long stoppedOn(Thread t) {
            return stopped.values().stream().filter(x -> x == t).count();
        }
    }

    @Test
    void alongAChainEachEndIsTakenCareOfByTheThreadWhereItHappenedNotHandedToTheDrivingThread() {
        Reporters reporters = new Reporters();
        WorkerGraph.Builder b = WorkerGraph.builder().listener(reporters);
        for (int i = 0; i < CHAIN; i++) {
            WorkerSpec.Builder s = WorkerSpec.builder("w" + i);
            if (i > 0) {
                s.dependsOn("w" + (i - 1));
            }
            b.worker(s.build());
        }
        WorkerGraph graph = b.build();
        graph.start();
        ShutdownReport report = graph.shutdown();
        assertTrue(report.clean(), report.toString());
        assertEquals(CHAIN + 1, reporters.started.size()); // + the default job runner
        assertEquals(CHAIN + 1, reporters.stopped.size());
        // Only an end that found the driving thread busy for a while goes to it (a loaded machine
        // may deschedule the driver while it holds the lock); before, every one did (CHAIN + 1).
        Thread self = Thread.currentThread();
        assertTrue(reporters.startedOn(self) <= CHAIN / 4, reporters.startedOn(self) + " starts were handed to the driving thread");
        assertTrue(reporters.stoppedOn(self) <= CHAIN / 4, reporters.stoppedOn(self) + " stops were handed to the driving thread");
    }

    @Test
    void aListenerCalledOnABodysThreadStillCannotShutTheGraphDown() {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<WorkerGraph> self = new AtomicReference<>();
        Thread driving = Thread.currentThread();
        WorkerGraph graph = WorkerGraph.builder()
                .worker(WorkerSpec.builder("a").build())
                .worker(WorkerSpec.builder("b").dependsOn("a").build())
                .listener(e -> {
                    if (e.to() == WorkerState.STOPPED && Thread.currentThread() != driving) {
                        calls.incrementAndGet();
                        try {
                            self.get().shutdown();
                        } catch (Throwable t) {
                            thrown.compareAndSet(null, t);
                        }
                    }
                })
                .build();
        self.set(graph);
        graph.start();
        ShutdownReport report = graph.shutdown();
        assertTrue(report.clean(), report.toString());
        if (calls.get() > 0) { // a listener ran on a body's thread: its shutdown() was refused, not deadlocked
            assertTrue(thrown.get() instanceof IllegalStateException, String.valueOf(thrown.get()));
        }
    }

    @Test
    void stopsThatEndThrowAndOverrunAsTheirTimeoutsFireKeepEveryInvariant() {
        int baseline = Threads.liveThreads();
        Random random = new Random(42);
        for (int round = 0; round < 150; round++) {
            int n = 2 + random.nextInt(30);
            Recorder rec = new Recorder();
            AtomicInteger inListener = new AtomicInteger();
            AtomicReference<String> overlap = new AtomicReference<>();
            WorkerGraph.Builder b = WorkerGraph.builder().shutdownTimeout(Duration.ofSeconds(20)).listener(e -> {
                if (inListener.incrementAndGet() != 1) {
                    overlap.compareAndSet(null, "two listener calls at once, at " + e);
                }
                rec.onTransition(e);
                inListener.decrementAndGet();
            });
            List<String> throwing = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                WorkerSpec.Builder s = WorkerSpec.builder("w" + i);
                for (int d = 0; d < i; d++) {
                    if (random.nextInt(4) == 0) {
                        s.dependsOn("w" + d);
                    }
                }
                long stopMicros = random.nextInt(3) == 0 ? 0 : random.nextInt(4_000);
                int kind = random.nextInt(10);
                if (kind == 0) {
                    throwing.add("w" + i);
                    s.onStop(ctx -> {
                        throw new IllegalStateException("stop fails");
                    });
                } else if (kind == 1) {
                    throwing.add("w" + i);
                    s.onStop(ctx -> {
                        throw new AssertionError("stop throws an Error");
                    });
                } else {
                    s.onStop(ctx -> sleepMicros(stopMicros));
                }
                // about as long as the stop: its end and its timeout race
                s.stopTimeout(Duration.ofNanos(1_000_000L + random.nextInt(3_000) * 1_000L));
                b.worker(s.build());
            }
            WorkerGraph graph = b.build();
            graph.start();
            ShutdownReport report = graph.shutdown();
            assertNull(overlap.get());
            rec.assertEdgesRespected(graph);
            for (WorkerInfo w : graph.workers()) {
                List<String> t = rec.transitionsOf(w.name());
                assertEquals(4, t.size(), w.name() + ": " + t);
                assertEquals("RUNNING->STOPPING", t.get(2), w.name() + ": " + t);
                boolean timedOut = report.timedOut().contains(w.name());
                boolean failed = report.failures().containsKey(w.name());
                if (w.state() == WorkerState.STOPPED) {
                    assertTrue(!timedOut && !failed, w.name() + " stopped but is reported: " + report);
                } else {
                    assertEquals(WorkerState.FAILED, w.state(), w.name());
                    assertTrue(timedOut ^ failed, w.name() + " failed: reported once, as failed or timed out: " + report);
                }
            }
            for (String name : throwing) {
                assertTrue(report.failures().containsKey(name) || report.timedOut().contains(name),
                        name + " threw but is not reported: " + report);
            }
        }
        Threads.assertNoneLeft(baseline);
    }

    @Test
    void startsThatEndFailAndOverrunAsTheirTimeoutsFireRollBackWhatStarted() {
        // a failed start rolls back what started; a start that ends as its timeout fires either
        // counts as started or as failed, never as both
        int baseline = Threads.liveThreads();
        Random random = new Random(7);
        for (int round = 0; round < 150; round++) {
            int n = 2 + random.nextInt(30);
            Recorder rec = new Recorder();
            WorkerGraph.Builder b = WorkerGraph.builder().shutdownTimeout(Duration.ofSeconds(20)).listener(rec);
            int failing = random.nextInt(n);
            for (int i = 0; i < n; i++) {
                WorkerSpec.Builder s = WorkerSpec.builder("w" + i);
                for (int d = 0; d < i; d++) {
                    if (random.nextInt(4) == 0) {
                        s.dependsOn("w" + d);
                    }
                }
                long startMicros = random.nextInt(2) == 0 ? 0 : random.nextInt(3_000);
                if (i != failing) {
                    s.onStart(ctx -> sleepMicros(startMicros));
                } else if (random.nextBoolean()) {
                    s.onStart(ctx -> {
                        sleepMicros(startMicros);
                        throw new IllegalStateException("start fails");
                    });
                } else { // fails by its timeout, which is about as long as the start
                    s.onStart(ctx -> sleepMicros(1_000 + startMicros));
                    s.startTimeout(Duration.ofNanos(1_000_000L + random.nextInt(2_000) * 1_000L));
                }
                b.worker(s.build());
            }
            WorkerGraph graph = b.build();
            try {
                graph.start(); // only a start that beat its timeout gets here
                assertTrue(graph.workers().stream().allMatch(w -> w.state() == WorkerState.RUNNING));
                assertTrue(graph.shutdown().clean());
            } catch (WorkerStartException e) {
                assertTrue(e.getMessage().contains("w" + failing), e.getMessage());
            }
            rec.assertEdgesRespected(graph);
            for (WorkerInfo w : graph.workers()) {
                assertTrue(w.state() != WorkerState.RUNNING && w.state() != WorkerState.STARTING
                        && w.state() != WorkerState.STOPPING, w.name() + " left " + w.state());
                List<String> t = rec.transitionsOf(w.name());
                if (t.contains("STARTING->RUNNING")) {
                    assertTrue(t.contains("RUNNING->STOPPING"), w.name() + " started and was not rolled back: " + t);
                }
            }
        }
        Threads.assertNoneLeft(baseline);
    }

    /** Sleeps, ending early (with the interrupt kept) if interrupted. */
    private static void sleepMicros(long micros) {
        if (micros <= 0) {
            return;
        }
        try {
            Thread.sleep(micros / 1000, (int) (micros % 1000) * 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
