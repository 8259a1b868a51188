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

    public static ManualBreaker manual() {
        return new ManualBreaker();
    }
}
