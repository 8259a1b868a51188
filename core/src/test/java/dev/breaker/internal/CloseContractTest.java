package dev.breaker.internal;

import dev.breaker.Breaker;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10, item 10: what a caller may rely on once {@code close()} or
 * {@code Registration.close()} returns, while another thread runs the breaker's actions.
 */
class CloseContractTest {

    @Test
    void closeWaitsForTheActionsOfATripRunningOnAnotherThread() throws Exception {
        AbstractBreaker b = Breakers.manual();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        b.onBreak(() -> {
            running.countDown();
            awaitQuietly(release);
            finished.set(true);
        });
        Thread tripper = new Thread(b::close, "tripper");
        tripper.start();
        assertTrue(running.await(10, TimeUnit.SECONDS));
        AtomicBoolean closeReturned = new AtomicBoolean();
        Thread closer = new Thread(() -> {
            b.close();
            closeReturned.set(finished.get()); // the action had finished when close() returned
        }, "closer");
        closer.start();
        closer.join(200);
        assertTrue(closer.isAlive(), "close() returned while the action was still running");
        release.countDown();
        closer.join(10_000);
        tripper.join(10_000);
        assertTrue(closeReturned.get());
    }

    @Test
    void registrationCloseWaitsForItsRunningActionButNotInsideAnAction() throws Exception {
        AbstractBreaker b = Breakers.manual();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        Breaker.Registration[] self = new Breaker.Registration[1];
        Breaker.Registration r = b.onBreak(() -> {
            self[0].close(); // closing one's own registration from inside must not deadlock
            running.countDown();
            awaitQuietly(release);
            finished.set(true);
        });
        self[0] = r;
        Thread tripper = new Thread(b::close, "tripper");
        tripper.start();
        assertTrue(running.await(10, TimeUnit.SECONDS));
        Thread closer = new Thread(r::close, "closer");
        closer.start();
        closer.join(200);
        assertTrue(closer.isAlive(), "Registration.close() returned while its action ran");
        release.countDown();
        closer.join(10_000);
        assertFalse(closer.isAlive());
        assertTrue(finished.get());
        tripper.join(10_000);
    }

    @Test
    void aTimedBreakerRacingItsOwnTimerRunsEveryActionBeforeCloseReturns() throws Exception {
        for (int round = 0; round < 20_000; round++) {
            Breaker b = Breaker.byTimeout(Duration.ofNanos(round % 100 * 1_000));
            AtomicInteger runs = new AtomicInteger();
            for (int i = 0; i < 3; i++) {
                b.onBreak(runs::incrementAndGet);
            }
            b.close();
            assertEquals(3, runs.get(), "round " + round);
        }
    }

    @Test
    void anInterruptedCloserStopsWaitingAndKeepsItsInterrupt() throws Exception {
        AbstractBreaker b = Breakers.manual();
        CountDownLatch release = new CountDownLatch(1);
        Thread tripper = tripBlockedUntil(b, release);
        try {
            Thread.currentThread().interrupt();
            b.close();
            assertTrue(Thread.interrupted(), "the interrupt was kept");
        } finally {
            release.countDown();
            tripper.join(10_000);
        }
    }

    @Test
    void aCloserWaitingForAnotherThreadsTripIsWokenNotOnATimer() throws Exception {
        AbstractBreaker b = Breakers.manual();
        CountDownLatch release = new CountDownLatch(1);
        Thread tripper = tripBlockedUntil(b, release);
        Thread closer = new Thread(b::close, "closer");
        try {
            closer.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            Thread.State seen = closer.getState();
            while (seen != Thread.State.WAITING && seen != Thread.State.TIMED_WAITING
                    && System.nanoTime() < deadline) { // bounded: the closer parks within microseconds
                Thread.yield();
                seen = closer.getState();
            }
            assertEquals(Thread.State.WAITING, seen, "a closer in TIMED_WAITING polls for the end of the trip");
        } finally {
            release.countDown();
            closer.join(10_000);
            tripper.join(10_000);
        }
        assertFalse(closer.isAlive(), "the closer was never woken");
    }

    @Test
    void twoThreadsClosingAtOnceBothReturnOnlyAfterTheActionRan() throws Exception {
        int rounds = 50_000;
        AtomicInteger runs = new AtomicInteger();
        AbstractBreaker[] current = new AbstractBreaker[1];
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2, () -> {
            runs.set(0);
            current[0] = Breakers.manual();
            current[0].onBreak(runs::incrementAndGet);
        });
        java.util.concurrent.CyclicBarrier end = new java.util.concurrent.CyclicBarrier(2);
        AtomicInteger failures = new AtomicInteger();
        Runnable closer = () -> {
            try {
                for (int i = 0; i < rounds; i++) {
                    start.await(10, TimeUnit.SECONDS);
                    current[0].close();
                    if (runs.get() != 1) {
                        failures.incrementAndGet(); // returned before the other thread's action ran
                    }
                    end.await(10, TimeUnit.SECONDS); // a closer never woken breaks the barrier
                }
            } catch (Exception e) {
                failures.incrementAndGet();
            }
        };
        Thread a = new Thread(closer, "closer-a");
        Thread c = new Thread(closer, "closer-b");
        a.start();
        c.start();
        a.join(120_000);
        c.join(120_000);
        assertFalse(a.isAlive() || c.isAlive(), "a closer hangs");
        assertEquals(0, failures.get());
    }

    /**
     * Trips {@code b} on a thread of its own, in an action that blocks until {@code release};
     * returns that thread once the action runs.
     */
    private static Thread tripBlockedUntil(AbstractBreaker b, CountDownLatch release) throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        b.onBreak(() -> {
            running.countDown();
            awaitQuietly(release);
        });
        Thread tripper = new Thread(b::close, "tripper");
        tripper.start();
        if (!running.await(10, TimeUnit.SECONDS)) {
            release.countDown();
            throw new AssertionError("the trip's action never ran");
        }
        return tripper;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
