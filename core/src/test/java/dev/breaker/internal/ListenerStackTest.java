package dev.breaker.internal;

import dev.breaker.Breaker;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14: the listener list is a lock-free stack whose removals inside the stack only mark the
 * node cancelled. The count of live registrations stays exact and the cancelled nodes left in
 * the stack stay bounded (purged amortised), whatever the order of removal.
 */
class ListenerStackTest {

    @Test
    void removingInFifoOrderKeepsTheGarbageBounded() {
        AbstractBreaker b = Breakers.manual();
        int window = 100;
        ArrayDeque<Breaker.Registration> live = new ArrayDeque<>();
        for (int i = 0; i < window; i++) {
            live.add(b.onBreak(() -> { }));
        }
        int maxNodes = 0;
        for (int i = 0; i < 1_000_000; i++) {
            live.add(b.onBreak(() -> { }));
            live.poll().close(); // the oldest: at the bottom of the stack, never on top
            maxNodes = Math.max(maxNodes, b.nodeCount());
        }
        assertEquals(window, b.listenerCount());
        // at most as many dead nodes as live ones at the last purge (and MIN_PURGE), plus the pushed one
        assertTrue(maxNodes <= 2 * window + AbstractBreaker.MIN_PURGE + 1, "nodes in the stack: " + maxNodes);
    }

    @Test
    void theCountIsExactAndOnlyTheRemainingRunWhateverTheOrderOfRemoval() {
        Random rnd = new Random(14);
        for (int round = 0; round < 200; round++) {
            AbstractBreaker b = Breakers.manual();
            int n = 1 + rnd.nextInt(300);
            int[] runs = new int[n];
            List<Integer> order = new ArrayList<>();
            Breaker.Registration[] regs = new Breaker.Registration[n];
            for (int i = 0; i < n; i++) {
                int slot = i;
                regs[i] = b.onBreak(() -> runs[slot]++);
                order.add(i);
            }
            Collections.shuffle(order, rnd);
            int removed = rnd.nextInt(n + 1);
            boolean[] gone = new boolean[n];
            for (int k = 0; k < removed; k++) {
                int i = order.get(k);
                regs[i].close();
                regs[i].close(); // idempotent
                gone[i] = true;
                assertEquals(n - k - 1, b.listenerCount());
            }
            b.close();
            assertEquals(0, b.listenerCount());
            for (int i = 0; i < n; i++) {
                assertEquals(gone[i] ? 0 : 1, runs[i], "round " + round + ", registration " + i);
            }
        }
    }

    @Test
    void concurrentRegistrationsAndRemovalsKeepAnExactCountAndBoundedGarbage() throws Exception {
        int threads = 4;
        int window = 50;
        int iterations = 200_000;
        AbstractBreaker b = Breakers.manual();
        AtomicIntegerArray runs = new AtomicIntegerArray(threads * window);
        java.util.concurrent.atomic.AtomicInteger removedRuns = new java.util.concurrent.atomic.AtomicInteger();
        CyclicBarrier go = new CyclicBarrier(threads);
        int[] maxNodes = new int[threads];
        List<Thread> all = new ArrayList<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread th = new Thread(() -> {
                try {
                    go.await();
                    Random rnd = new Random(thread);
                    ArrayList<Breaker.Registration> live = new ArrayList<>();
                    for (int i = 0; i < iterations; i++) {
                        live.add(b.onBreak(removedRuns::incrementAndGet));
                        if (live.size() > window) {
                            live.remove(rnd.nextInt(live.size())).close(); // anywhere in the stack
                        }
                        if ((i & 1023) == 0) {
                            maxNodes[thread] = Math.max(maxNodes[thread], b.nodeCount());
                        }
                    }
                    for (Breaker.Registration r : live) {
                        r.close();
                    }
                    for (int i = 0; i < window; i++) {
                        int slot = thread * window + i;
                        b.onBreak(() -> runs.incrementAndGet(slot));
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            all.add(th);
            th.start();
        }
        for (Thread th : all) {
            th.join();
        }
        assertTrue(failures.isEmpty(), failures.toString());
        assertEquals(threads * window, b.listenerCount());
        int max = 0;
        for (int m : maxNodes) {
            max = Math.max(max, m);
        }
        int live = threads * (window + 1);
        assertTrue(max <= 2 * live + AbstractBreaker.MIN_PURGE + 4 * threads, "nodes in the stack: " + max);
        b.close();
        assertEquals(0, b.listenerCount());
        assertEquals(0, removedRuns.get(), "removed actions that ran");
        for (int i = 0; i < runs.length(); i++) {
            assertEquals(1, runs.get(i), "action " + i);
        }
    }
}
