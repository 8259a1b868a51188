package dev.breaker.internal;

import dev.breaker.Breaker;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BreakerLeakTest {

    @Test
    void aMillionClosedBreakersLeaveNoTimerEntryNoListenerAndNoThread() throws Exception {
        int base = TimerWheel.pending(); // deltas: other tests of this JVM may have left entries
        if (base == 0) {
            awaitTimerThreadGone();
        }
        int threadsBefore = Thread.activeCount();
        AbstractBreaker longLived = Breakers.manual();
        for (int i = 0; i < 1_000_000; i++) {
            Breaker.byTimeout(Duration.ofSeconds(30)).close();
        }
        assertEquals(base, TimerWheel.pending());
        for (int i = 0; i < 100_000; i++) {
            try (Breaker t = Breaker.byTimeout(Duration.ofMinutes(1));
                 Breaker m = Breaker.multiplex(longLived, t, longLived.withTimeout(Duration.ofMinutes(1)))) {
                if (m.isBroken()) {
                    throw new AssertionError("tripped early");
                }
            }
        }
        // the withTimeout children above were never closed by the test: the multiplex does not
        // close its children, so each still waits in the wheel and on longLived until it trips
        assertEquals(base + 100_000, TimerWheel.pending());
        assertEquals(100_000, longLived.listenerCount());
        longLived.close(); // trips the children, which release their entries
        assertEquals(base, TimerWheel.pending());
        assertEquals(0, longLived.listenerCount());
        assertTrue(TimerWheel.threadAlive(), "one shared timer thread serves all breakers");
        if (base > 0) {
            return; // the thread stays for the entries of others
        }
        awaitTimerThreadGone();
        assertTrue(Thread.activeCount() <= threadsBefore,
                "threads before " + threadsBefore + ", after " + Thread.activeCount());
    }

    @Test
    void aMillionPendingBreakersShareOneThreadAndStillFireOnTime() throws Exception {
        int base = TimerWheel.pending();
        int threadsBefore = Thread.activeCount();
        Breaker[] pending = new Breaker[1_000_000];
        for (int i = 0; i < pending.length; i++) {
            pending[i] = Breaker.byTimeout(Duration.ofMinutes(10).plusMillis(i));
        }
        assertTrue(Thread.activeCount() <= threadsBefore + 1, "at most the one timer thread");
        assertEquals(base + pending.length, TimerWheel.pending());
        long start = System.nanoTime();
        try (Breaker soon = Breaker.byTimeout(Duration.ofMillis(20))) {
            assertTrue(soon.await(Duration.ofSeconds(5)));
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(ms < 2_000, "fired after " + ms + " ms with a million pending");
        for (Breaker b : pending) {
            b.close();
        }
        assertEquals(base, TimerWheel.pending());
    }

    @Test
    void childOutlivingAMultiplexKeepsNoListener() {
        AbstractBreaker child = Breakers.manual();
        Breaker m = Breaker.multiplex(child, Breaker.manual());
        assertEquals(1, child.listenerCount());
        m.close();
        assertEquals(0, child.listenerCount());
        assertFalse(child.isBroken());
    }

    @Test
    void multiplexOutlivingATrippedChildKeepsNoListenerOnTheOthers() {
        AbstractBreaker other = Breakers.manual();
        Breaker dying = Breaker.manual();
        Breaker m = Breaker.multiplex(dying, other);
        dying.close();
        assertTrue(m.isBroken());
        assertEquals(0, other.listenerCount());
    }

    @Test
    void closedFutureBreakerLeavesOnlyAClearedLink() {
        CompletableFuture<Void> stage = new CompletableFuture<>();
        AbstractBreaker b = (AbstractBreaker) Breaker.byFuture(stage);
        b.onBreak(() -> { });
        b.close();
        assertEquals(0, b.listenerCount());
        stage.complete(null); // the link no longer reaches the breaker: nothing happens
        assertEquals(dev.breaker.BreakReason.CLOSED, b.reason().orElseThrow());
    }

    static void awaitTimerThreadGone() throws InterruptedException {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("breaker-timer")) {
                t.join(TimeUnit.SECONDS.toMillis(15)); // it exits after one idle second
            }
        }
        if (TimerWheel.threadAlive() || timerThreadExists()) {
            throw new AssertionError("the timer thread did not exit after the wheel emptied");
        }
    }

    private static boolean timerThreadExists() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("breaker-timer"));
    }
}
