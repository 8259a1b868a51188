package dev.breaker.internal;

import dev.breaker.Breaker;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 10, items 1 and 8: no user code can stop, kill or hold up the timer. */
class TimerFaultTest {
    private static final Duration GENEROUS = Duration.ofSeconds(10);

    @Test
    void errorsThrownByActionsAndDependentsDoNotStopLaterTimeouts() throws Exception {
        List<Supplier<Error>> errors = List.of(StackOverflowError::new, () -> new OutOfMemoryError("thrown by the test"),
                () -> new AssertionError("thrown by the test"));
        QuietLogs.silence();
        try {
            for (Supplier<Error> error : errors) {
                // long enough to register before it fires, so that the timer runs the callbacks
                Breaker action = Breaker.byTimeout(Duration.ofMillis(100));
                action.onBreak(() -> {
                    throw error.get();
                });
                Breaker dependent = Breaker.byTimeout(Duration.ofMillis(100));
                dependent.done().whenComplete((r, e) -> {
                    throw error.get();
                });
                assertTrue(action.await(GENEROUS));
                assertTrue(dependent.await(GENEROUS));
                try (Breaker later = Breaker.byTimeout(Duration.ofMillis(10))) {
                    assertTrue(later.await(GENEROUS), "a 10 ms timeout never fired after " + error.get());
                }
            }
        } finally {
            QuietLogs.restore();
        }
    }

    @Test
    void aRealStackOverflowInAnActionDoesNotStopLaterTimeouts() throws Exception {
        QuietLogs.silence();
        try {
            Breaker b = Breaker.byTimeout(Duration.ofMillis(100));
            AtomicInteger depth = new AtomicInteger();
            b.onBreak(new Runnable() {
                @Override
                public void run() {
                    depth.incrementAndGet();
                    run(); // recurse until the stack is gone
                }
            });
            assertTrue(b.await(GENEROUS));
            try (Breaker later = Breaker.byTimeout(Duration.ofMillis(10))) {
                assertTrue(later.await(GENEROUS));
            }
        } finally {
            QuietLogs.restore();
        }
    }

    @Test
    void theTimerThreadSurvivesAClockThatThrows() throws Exception {
        AtomicLong calls = new AtomicLong();
        TimerWheel wheel = new TimerWheel(() -> {
            if (calls.incrementAndGet() % 7 == 3) {
                throw new OutOfMemoryError("clock failure injected by the test");
            }
            return System.nanoTime();
        }, TimerWheel.SHIFT, TimerWheel.TICK_NANOS, true);
        QuietLogs.silence();
        try {
            for (int i = 0; i < 20; i++) {
                WheelEntry e;
                try {
                    e = WheelEntry.after(wheel, TimeUnit.MILLISECONDS.toNanos(5));
                } catch (OutOfMemoryError injected) {
                    continue; // the test's own call met the injected failure
                }
                assertTrue(e.await(GENEROUS), "entry " + i + " never fired");
            }
        } finally {
            QuietLogs.restore();
        }
    }

    @Test
    void aBlockingDependentDelaysNoOtherBreaker() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocking = new CountDownLatch(2);
        try {
            Breaker blocker = Breaker.byTimeout(Duration.ofMillis(200)); // callbacks registered well before
            blocker.done().thenRun(() -> {
                blocking.countDown();
                await(release); // blocks until the end of the test: 5 s or more in real life
            });
            blocker.onBreak(() -> {
                blocking.countDown();
                await(release);
            });
            assertTrue(blocking.await(GENEROUS.toMillis(), TimeUnit.MILLISECONDS), "the blocking callbacks never ran");
            for (int i = 0; i < 20; i++) {
                long start = System.nanoTime();
                Breaker b = Breaker.byTimeout(Duration.ofMillis(20));
                AtomicReference<Thread> ranOn = new AtomicReference<>();
                CountDownLatch action = new CountDownLatch(1);
                CountDownLatch dependent = new CountDownLatch(1);
                b.onBreak(() -> {
                    ranOn.set(Thread.currentThread());
                    action.countDown();
                });
                b.done().thenRun(dependent::countDown);
                assertTrue(action.await(GENEROUS.toMillis(), TimeUnit.MILLISECONDS));
                assertTrue(dependent.await(GENEROUS.toMillis(), TimeUnit.MILLISECONDS));
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(ms < 2_000, "a 20 ms breaker's callbacks ran after " + ms + " ms");
                assertNotEquals("breaker-timer", ranOn.get().getName(), "user actions never run on the timer thread");
            }
        } finally {
            release.countDown();
        }
    }

    @Test
    void theActionsOfOneTickWakeACallbackThreadOnceNotOncePerAction() throws Exception {
        // a callback thread exists and waits for work
        CountDownLatch warm = new CountDownLatch(1);
        Breaker.byTimeout(Duration.ofMillis(1)).onBreak(warm::countDown);
        assertTrue(warm.await(GENEROUS.toMillis(), TimeUnit.MILLISECONDS));
        int n = 2_000;
        CountDownLatch ran = new CountDownLatch(n);
        java.time.Instant due = java.time.Instant.now().plusMillis(300); // one tick for all
        long before = Callbacks.INSTANCE.wakeups();
        for (int i = 0; i < n; i++) {
            Breaker.byDeadline(due).onBreak(ran::countDown);
        }
        assertTrue(ran.await(GENEROUS.toMillis(), TimeUnit.MILLISECONDS));
        long wakeups = Callbacks.INSTANCE.wakeups() - before;
        // one per tick the deadline's entries were fired in (one here), however many actions;
        // a little slack for a thread that wakes while the tick's actions are still queued
        assertTrue(wakeups <= 5, n + " actions due on one tick woke callback threads " + wakeups + " times");
    }

    @Test
    void callbackThreadsExitWhenIdle() throws Exception {
        CountDownLatch ran = new CountDownLatch(100);
        for (int i = 0; i < 100; i++) {
            Breaker.byTimeout(Duration.ofMillis(1 + i % 5)).onBreak(ran::countDown);
        }
        assertTrue(ran.await(GENEROUS.toMillis(), TimeUnit.MILLISECONDS));
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("breaker-callback-")) {
                t.join(TimeUnit.SECONDS.toMillis(15)); // each exits after one idle second
            }
        }
        assertEquals(0, Callbacks.INSTANCE.threads());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
