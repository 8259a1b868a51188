package dev.breaker.internal;

import dev.breaker.Breaker;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;

/** Factories behind {@link Breaker}'s static methods. Stateless and thread-safe. */
public final class Breakers {
    private Breakers() {
    }

    public static Breaker byTimeout(Duration timeout) {
        return TimedBreaker.timeout(timeout);
    }

    public static Breaker byDeadline(Instant deadline) {
        return TimedBreaker.deadline(deadline);
    }

    public static Breaker bySignal(String... names) {
        return SignalBreaker.of(names);
    }

    public static Breaker byFuture(CompletionStage<?> stage) {
        return FutureBreaker.of(stage);
    }

    public static Breaker multiplex(Breaker... breakers) {
        return MultiplexBreaker.of(breakers);
    }

    /**
     * A child of {@code parent} that also trips after {@code after}, with {@code reason} (a
     * caller's budget: {@link dev.breaker.BreakReason.Kind#BUDGET}). For the integrations;
     * {@code parent} must be one of this library's breakers.
     */
    public static Breaker budgetChild(Breaker parent, Duration after, dev.breaker.BreakReason reason) {
        if (!(parent instanceof AbstractBreaker)) {
            throw new IllegalArgumentException("not a breaker of this library: " + parent);
        }
        return TimedBreaker.child((AbstractBreaker) parent, after, reason);
    }

    public static ManualBreaker manual() {
        return new ManualBreaker();
    }
}
