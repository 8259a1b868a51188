package dev.breaker.worker.internal;

import dev.breaker.LogCapture;
import dev.breaker.LogCapture.Line;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The codes of the worker graph's threads (BRKR132–BRKR135): a thread factory that fails, a task
 * that throws, a bad pool size, a start or stop that gets no fresh thread.
 */
@Timeout(60)
class ThreadCodesTest {
    private final LogCapture log = new LogCapture("dev.breaker.worker");

    @AfterEach
    void closeCapture() {
        log.close();
    }

    private static Thread daemon(Runnable r) {
        Thread t = new Thread(r, "codes-test");
        t.setDaemon(true);
        return t;
    }

    /** BRKR132: the bound grows while a task waits, but no thread can be created; a pooled thread takes it later. */
    @Test
    void aThreadThatCannotBeCreatedWhenTheBoundGrows() throws Exception {
        OutOfMemoryError noThread = new OutOfMemoryError("unable to create native thread (on purpose)");
        AtomicInteger made = new AtomicInteger();
        ThreadFactory firstOnly = r -> {
            if (made.getAndIncrement() > 0) {
                throw noThread;
            }
            return daemon(r);
        };
        ThreadPool pool = new ThreadPool(1, firstOnly);
        try {
            CountDownLatch busy = new CountDownLatch(1);
            CountDownLatch gate = new CountDownLatch(1);
            CountDownLatch waited = new CountDownLatch(1);
            assertTrue(pool.execute(() -> {
                busy.countDown();
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            assertTrue(busy.await(10, TimeUnit.SECONDS));
            assertFalse(pool.execute(waited::countDown), "the bound is reached: it waits");
            pool.grow();
            Line line = log.only("BRKR132");
            assertEquals(Level.WARNING, line.level());
            assertEquals("BRKR132: the worker graph could not create a thread; a waiting start or stop runs when"
                    + " a thread is free", line.message());
            assertSame(noThread, line.thrown());
            gate.countDown();
            assertTrue(waited.await(10, TimeUnit.SECONDS), "the pooled thread took the waiting task");
        } finally {
            pool.shutdownNow();
        }
    }

    /** BRKR133: a task of the pool throws (bodies and jobs never do); the thread goes on. */
    @Test
    void aTaskThatThrows() throws Exception {
        ThreadPool pool = new ThreadPool(1, ThreadCodesTest::daemon);
        try {
            IllegalStateException bug = new IllegalStateException("a task's bug");
            pool.execute(() -> {
                throw bug;
            });
            Line line = log.await("BRKR133", Duration.ofSeconds(10));
            assertEquals(Level.WARNING, line.level());
            assertEquals("BRKR133: a task of the worker graph failed", line.message());
            assertSame(bug, line.thrown());
            CountDownLatch next = new CountDownLatch(1);
            pool.execute(next::countDown);
            assertTrue(next.await(10, TimeUnit.SECONDS), "the pool still runs tasks");
        } finally {
            pool.shutdownNow();
        }
    }

    /** BRKR134: {@code dev.breaker.worker.poolSize} not a positive integer. */
    @Test
    void aBadPoolSize() {
        assertEquals(WorkerThreads.DEFAULT_POOL_SIZE, WorkerThreads.poolSize("many"));
        assertEquals(WorkerThreads.DEFAULT_POOL_SIZE, WorkerThreads.poolSize("0"));
        assertEquals(7, WorkerThreads.poolSize(" 7 "));
        assertEquals(2, log.withCode("BRKR134").size(), log.lines().toString());
        Line line = log.withCode("BRKR134").get(0);
        assertEquals(Level.WARNING, line.level());
        assertEquals("BRKR134: dev.breaker.worker.poolSize=many is not a positive integer; using "
                + WorkerThreads.DEFAULT_POOL_SIZE, line.message());
    }

    /**
     * BRKR135: a body that waited too long for a pooled thread gets no fresh one either. The
     * task has no thread source at all (null): asking it for a thread fails, as creating one
     * would without memory; the body is not run, and goes on waiting for a pooled thread.
     */
    @Test
    void noFreshThreadForABody() {
        AtomicInteger ran = new AtomicInteger();
        Task task = new Task(null, "start-slow", t -> ran.incrementAndGet());
        task.runOnFreshThread();
        Line line = log.only("BRKR135");
        assertEquals(Level.WARNING, line.level());
        assertEquals("BRKR135: no thread could be created for " + WorkerThreads.PREFIX
                + "start-slow; it waits for a thread of the worker graph's pool", line.message());
        assertInstanceOf(NullPointerException.class, line.thrown());
        assertEquals(0, ran.get());
    }
}
