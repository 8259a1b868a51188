package dev.breaker.cdi.internal;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;
import dev.breaker.internal.Breakers;
import dev.breaker.internal.ManualBreaker;

/**
 * The application-wide shutdown breaker: trips once, with {@code BreakReason.shutdown("application")},
 * when the container begins to shut down. Breakers handed to the application are children of it,
 * so their {@code reason().root()} is that SHUTDOWN reason. Thread-safe.
 */
final class ApplicationShutdown {
    private final ManualBreaker breaker = Breakers.manual();

    Breaker breaker() {
        return breaker;
    }

    /** A breaker that trips only with this one; closing it leaves this one alone. */
    Breaker child() {
        return Breaker.multiplex(breaker);
    }

    /** Trips the shutdown breaker; idempotent. */
    void begin() {
        breaker.trip(BreakReason.shutdown("application"));
    }
}
