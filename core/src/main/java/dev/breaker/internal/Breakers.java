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
     * A child of {@code parent} that also trips after {@code budget}, with a
     * {@link dev.breaker.BreakReason.Kind#BUDGET} reason naming {@code from}: a caller's budget
     * applied to a breaker of this library (an integration's call; {@code parent} is one of ours).
     */
    public static Breaker budgetChild(Breaker parent, Duration budget, String from) {
        if (!(parent instanceof AbstractBreaker)) {
            throw new IllegalArgumentException("not a breaker of this library: " + parent);
        }
        return TimedBreaker.child((AbstractBreaker) parent, budget, dev.breaker.BreakReason.budget(budget, from));
    }

    public static ManualBreaker manual() {
        return new ManualBreaker();
    }
}
