package dev.breaker.internal;

import dev.breaker.Breaker;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;

/** Factories behind {@link Breaker}'s static methods. (Implementation lands in the next commit.) */
public final class Breakers {
    private Breakers() {
    }

    public static Breaker byTimeout(Duration timeout) { throw new AssertionError("pending"); }
    public static Breaker byDeadline(Instant deadline) { throw new AssertionError("pending"); }
    public static Breaker bySignal(String... names) { throw new AssertionError("pending"); }
    public static Breaker byFuture(CompletionStage<?> stage) { throw new AssertionError("pending"); }
    public static Breaker multiplex(Breaker... breakers) { throw new AssertionError("pending"); }
    public static Breaker manual() { throw new AssertionError("pending"); }
}
