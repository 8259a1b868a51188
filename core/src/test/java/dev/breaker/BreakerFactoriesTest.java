package dev.breaker;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BreakerFactoriesTest {
    private static final Duration GENEROUS = Duration.ofSeconds(5);

    @Test
    void timeoutTripsAfterItsTimeoutNotBefore() throws Exception {
        long start = System.nanoTime();
        try (Breaker b = Breaker.byTimeout(Duration.ofMillis(100))) {
            assertFalse(b.isBroken());
            assertTrue(b.await(GENEROUS), dev.breaker.internal.TimerDiagnostics::describe);
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(elapsedMs >= 100, "tripped early: " + elapsedMs + " ms");
            assertTrue(elapsedMs < 3_000, "tripped far too late: " + elapsedMs + " ms");
            BreakReason r = b.reason().orElseThrow();
            assertEquals(BreakReason.Kind.TIMEOUT, r.kind());
            assertEquals("timeout PT0.1S", r.detail());
        }
    }

    @Test
    void zeroTimeoutIsBrokenAtOnceAndNegativeOrNullIsRejected() {
        assertTrue(Breaker.byTimeout(Duration.ZERO).isBroken());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Breaker.byTimeout(Duration.ofMillis(-5)));
        assertEquals("timeout must not be negative: PT-0.005S", e.getMessage());
        assertThrows(NullPointerException.class, () -> Breaker.byTimeout(null));
        assertThrows(NullPointerException.class, () -> Breaker.byDeadline(null));
        assertThrows(NullPointerException.class, () -> Breaker.byFuture(null));
    }

    @Test
    void hugeTimeoutsDoNotOverflow() {
        try (Breaker b = Breaker.byTimeout(Duration.ofSeconds(Long.MAX_VALUE));
             Breaker d = Breaker.byDeadline(Instant.MAX)) {
            assertFalse(b.isBroken());
            assertFalse(d.isBroken());
        }
        assertTrue(Breaker.byDeadline(Instant.MIN).isBroken());
    }

    @Test
    void deadlineTripsAtTheDeadlineAndAPastDeadlineAtOnce() throws Exception {
        Instant deadline = Instant.now().plusMillis(80);
        try (Breaker b = Breaker.byDeadline(deadline)) {
            assertTrue(b.await(GENEROUS), dev.breaker.internal.TimerDiagnostics::describe);
            assertFalse(Instant.now().isBefore(deadline.minusMillis(2)), "tripped before the deadline");
            assertEquals(BreakReason.Kind.DEADLINE, b.reason().orElseThrow().kind());
            assertEquals("deadline " + deadline, b.reason().orElseThrow().detail());
        }
        Breaker past = Breaker.byDeadline(Instant.now().minusSeconds(1));
        assertTrue(past.isBroken());
        assertEquals(BreakReason.Kind.DEADLINE, past.reason().orElseThrow().kind());
    }

    @Test
    void futureTripsOnNormalAndExceptionalCompletion() {
        CompletableFuture<String> ok = new CompletableFuture<>();
        Breaker b = Breaker.byFuture(ok);
        assertFalse(b.isBroken());
        ok.complete("x");
        assertEquals("future completed", b.reason().orElseThrow().detail());

        CompletableFuture<String> failed = new CompletableFuture<>();
        Breaker f = Breaker.byFuture(failed.thenApply(s -> s));
        failed.completeExceptionally(new IllegalStateException("boom"));
        BreakReason r = f.reason().orElseThrow();
        assertEquals(BreakReason.Kind.FUTURE, r.kind());
        assertEquals("future failed: java.lang.IllegalStateException: boom", r.detail());

        assertTrue(Breaker.byFuture(CompletableFuture.completedFuture(1)).isBroken());
    }

    @Test
    void closedFutureBreakerIgnoresLaterCompletion() {
        CompletableFuture<String> stage = new CompletableFuture<>();
        Breaker b = Breaker.byFuture(stage);
        b.close();
        stage.complete("late");
        assertEquals(BreakReason.CLOSED, b.reason().orElseThrow());
    }

    @Test
    void manualTripsOnlyOnCloseAndCloseIsIdempotent() {
        Breaker b = Breaker.manual();
        assertFalse(b.isBroken());
        b.close();
        b.close();
        assertEquals(BreakReason.Kind.CLOSED, b.reason().orElseThrow().kind());
    }

    @Test
    void multiplexTripsWithTheFirstChildAndNamesIt() throws Exception {
        Breaker never = Breaker.manual();
        try (Breaker fast = Breaker.byTimeout(Duration.ofMillis(30));
             Breaker slow = Breaker.byTimeout(Duration.ofHours(1));
             Breaker m = Breaker.multiplex(never, fast, slow)) {
            assertTrue(m.await(GENEROUS), dev.breaker.internal.TimerDiagnostics::describe);
            BreakReason r = m.reason().orElseThrow();
            assertEquals(BreakReason.Kind.CHILD, r.kind());
            assertEquals(1, r.childIndex());
            assertEquals(BreakReason.Kind.TIMEOUT, r.root().kind());
            assertEquals("child #1: timeout PT0.03S", r.toString());
        }
        assertFalse(never.isBroken(), "closing a multiplex must not close its children");
    }

    @Test
    void multiplexOfABrokenChildIsBrokenAtOnce() {
        Breaker broken = Breaker.manual();
        broken.close();
        Breaker m = Breaker.multiplex(Breaker.manual(), broken);
        assertEquals(1, m.reason().orElseThrow().childIndex());
    }

    @Test
    void multiplexRejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, Breaker::multiplex);
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> Breaker.multiplex(Breaker.manual(), null));
        assertEquals("breaker #1 of the multiplex is null", e.getMessage());
    }

    @Test
    void withTimeoutChildTripsOnParentOrTimeout() throws Exception {
        Breaker parent = Breaker.manual();
        Breaker child = parent.withTimeout(Duration.ofHours(1));
        parent.close();
        BreakReason r = child.reason().orElseThrow();
        assertEquals(BreakReason.Kind.PARENT, r.kind());
        assertEquals(BreakReason.Kind.CLOSED, r.root().kind());

        Breaker parent2 = Breaker.manual();
        try (Breaker tight = parent2.withTimeout(Duration.ofMillis(20))) {
            assertTrue(tight.await(GENEROUS), dev.breaker.internal.TimerDiagnostics::describe);
            assertEquals(BreakReason.Kind.TIMEOUT, tight.reason().orElseThrow().kind());
        }
        assertFalse(parent2.isBroken(), "a child never trips its parent");

        Breaker broken = Breaker.manual();
        broken.close();
        assertTrue(broken.withTimeout(Duration.ofHours(1)).isBroken());
        assertThrows(IllegalArgumentException.class, () -> parent2.withTimeout(Duration.ofSeconds(-1)));
    }

    @Test
    void throwIfBrokenThrowsACancellationExceptionCarryingTheReason() {
        Breaker b = Breaker.manual();
        b.throwIfBroken();
        b.close();
        BrokenException e = assertThrows(BrokenException.class, b::throwIfBroken);
        assertEquals(BreakReason.CLOSED, e.reason());
        assertTrue(e instanceof java.util.concurrent.CancellationException);
        assertEquals("breaker tripped: closed", e.getMessage());
    }

    @Test
    void signalNamesAreValidated() {
        assertThrows(IllegalArgumentException.class, Breaker::bySignal);
        assertThrows(IllegalArgumentException.class, () -> Breaker.bySignal(" "));
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> Breaker.bySignal("NOSUCHSIGNAL"));
        assertTrue(e.getMessage().startsWith("BRKR154: Signal SIGNOSUCHSIGNAL cannot be handled"), e.getMessage());
    }
}
