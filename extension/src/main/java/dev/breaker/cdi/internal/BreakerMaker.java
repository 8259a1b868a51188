package dev.breaker.cdi.internal;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Makes the breakers of one injection point (or name), its configuration read once: {@link #get()}
 * with the configured limits; {@link #under} also bounded by a caller's budget, as one breaker
 * (the earlier of the budget and the configured limits, with the budget's reason if it is the
 * earlier), not a breaker and a child. Thread-safe: stateless after construction.
 */
interface BreakerMaker extends Supplier<Breaker> {
    /** A breaker that also trips after {@code left}, with {@code budget} as its reason then. */
    Breaker under(Duration left, BreakReason budget);
}
