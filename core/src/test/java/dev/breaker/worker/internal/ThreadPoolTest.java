package dev.breaker.worker.internal;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JDK 17 pool of the worker graph: an idle thread is reused before a new one is created, the
 * bound holds (and moves by one with {@code grow}/{@code shrink}), and a thread that cannot be
 * created makes a task wait for a pooled thread rather than fail, when there is one.
 */
class ThreadPoolTest {
    private final List<ThreadPool> pools = new ArrayList<>();
    private final List<CountDownLatch> gates = new ArrayList<>();

    @AfterEach
    void release() {
        gates.forEach(CountDownLatch::countDown);
        pools.forEach(ThreadPool::shutdownNow);
    }

    private ThreadPool pool(int bound, ThreadFactory factory) {
        ThreadPool p = new ThreadPool(bound, factory);
        pools.add(p);
        return p;
    }

    private static Thread daemon(Runnable r) {
        Thread t = new Thread(r, "pool-test");
        t.setDaemon(true);
        return t;
    }

    private CountDownLatch gate() {
        CountDownLatch g = new CountDownLatch(1);
        gates.add(g);
        return g;
    }

    /** A task that records its thread, says it began, and waits for {@code gate}. */
    private static Runnable blocking(CountDownLatch began, CountDownLatch gate, Set<Thread> ran) {
        return () -> {
            ran.add(Thread.currentThread());
            began.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    /** Polls {@code condition} every 2 ms until it holds or 10 s have passed; whether it holds. */
    private static boolean eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end >= 0) {
                return false;
            }
            Thread.sleep(2); // polling a condition, bounded
        }
        return true;
    }

    /** Waits until the pool has a thread idle, i.e. a task handed to it now is not queued. */
    private static void awaitIdle(ThreadPool p, int alive) throws InterruptedException {
        eventually(() -> p.size() == alive && p.idleCount() > 0);
        assertTrue(p.idleCount() > 0, "no thread went idle");
    }

    @Test
    void aTaskGoesToTheIdleThreadRatherThanANewOne() throws Exception {
        ThreadPool p = pool(64, ThreadPoolTest::daemon);
        Set<Thread> ran = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 20; i++) {
            CountDownLatch done = new CountDownLatch(1);
            assertTrue(p.execute(() -> {
                ran.add(Thread.currentThread());
                done.countDown();
            }));
            assertTrue(done.await(10, TimeUnit.SECONDS));
            awaitIdle(p, 1);
        }
        assertEquals(1, ran.size());
        assertEquals(1, p.created());
    }

    @Test
    void busyThreadsMakeNewOnesUpToTheBoundThenTasksWaitForAFreeOne() throws Exception {
        ThreadPool p = pool(3, ThreadPoolTest::daemon);
        Set<Thread> ran = ConcurrentHashMap.newKeySet();
        CountDownLatch began = new CountDownLatch(3);
        CountDownLatch gate = gate();
        for (int i = 0; i < 3; i++) {
            assertTrue(p.execute(blocking(began, gate, ran)));
        }
        assertTrue(began.await(10, TimeUnit.SECONDS));
        CountDownLatch fourth = new CountDownLatch(1);
        Set<Thread> fourthRan = ConcurrentHashMap.newKeySet();
        assertFalse(p.execute(blocking(fourth, new CountDownLatch(0), fourthRan)), "queued, not a fourth thread");
        assertFalse(fourth.await(100, TimeUnit.MILLISECONDS));
        assertEquals(3, p.created());
        gate.countDown();
        assertTrue(fourth.await(10, TimeUnit.SECONDS));
        assertTrue(ran.containsAll(fourthRan), "ran on one of the three");
        assertEquals(3, p.created());
    }

    @Test
    void growStartsAThreadForAWaitingTaskAndShrinkEndsTheThreadAboveTheBound() throws Exception {
        ThreadPool p = pool(1, ThreadPoolTest::daemon);
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch gate = gate();
        Set<Thread> ran = ConcurrentHashMap.newKeySet();
        assertTrue(p.execute(blocking(first, gate, ran)));
        assertTrue(first.await(10, TimeUnit.SECONDS));
        CountDownLatch second = new CountDownLatch(1);
        assertFalse(p.execute(blocking(second, new CountDownLatch(0), ran)));
        p.grow(); // as when the first is abandoned
        assertTrue(second.await(10, TimeUnit.SECONDS), "the waiting task got a thread at once");
        assertEquals(2, p.created());
        p.shrink(); // as when the abandoned one returns
        gate.countDown();
        eventually(() -> !(p.size() > 1));
        assertEquals(1, p.size());
    }

    @Test
    void aThreadThatCannotBeCreatedMakesTheTaskWaitForAPooledOne() throws Exception {
        AtomicBoolean refuse = new AtomicBoolean();
        OutOfMemoryError noThreads = new OutOfMemoryError("unable to create native thread: possibly out of memory"
                + " or process/resource limits reached");
        ThreadPool p = pool(64, r -> {
            if (refuse.get()) {
                throw noThreads;
            }
            return daemon(r);
        });
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch gate = gate();
        Set<Thread> ran = ConcurrentHashMap.newKeySet();
        assertTrue(p.execute(blocking(first, gate, ran)));
        assertTrue(first.await(10, TimeUnit.SECONDS));
        refuse.set(true);
        CountDownLatch second = new CountDownLatch(1);
        assertFalse(p.execute(blocking(second, new CountDownLatch(0), ran)), "queued, not failed");
        assertFalse(second.await(50, TimeUnit.MILLISECONDS));
        gate.countDown();
        assertTrue(second.await(10, TimeUnit.SECONDS), "ran on the pooled thread once it was free");
        assertEquals(1, ran.size());
        assertEquals(1, p.created());
    }

    @Test
    void withNoThreadAtAllAThreadThatCannotBeCreatedFailsTheTask() {
        OutOfMemoryError noThreads = new OutOfMemoryError("unable to create native thread");
        ThreadPool p = pool(64, r -> {
            throw noThreads;
        });
        assertSame(noThreads, assertThrows(OutOfMemoryError.class, () -> p.execute(() -> { })));
        assertEquals(0, p.size());
    }

    @Test
    void thePoolSizePropertyTakesAPositiveIntegerElseTheDefault() {
        assertEquals(12, WorkerThreads.poolSize("12"));
        assertEquals(12, WorkerThreads.poolSize(" 12 "));
        assertEquals(WorkerThreads.DEFAULT_POOL_SIZE, WorkerThreads.poolSize(null));
        assertEquals(WorkerThreads.DEFAULT_POOL_SIZE, WorkerThreads.poolSize("0"));
        assertEquals(WorkerThreads.DEFAULT_POOL_SIZE, WorkerThreads.poolSize("-3"));
        assertEquals(WorkerThreads.DEFAULT_POOL_SIZE, WorkerThreads.poolSize("many"));
        assertTrue(WorkerThreads.DEFAULT_POOL_SIZE >= 64);
    }

    @Test
    void shutdownEndsIdleThreadsAndRejectsNewTasks() throws Exception {
        ThreadPool p = pool(64, ThreadPoolTest::daemon);
        CountDownLatch done = new CountDownLatch(1);
        assertTrue(p.execute(done::countDown));
        assertTrue(done.await(10, TimeUnit.SECONDS));
        awaitIdle(p, 1);
        p.shutdown();
        eventually(() -> !(p.size() > 0));
        assertEquals(0, p.size());
        assertThrows(RejectedExecutionException.class, () -> p.execute(() -> { }));
    }
}
