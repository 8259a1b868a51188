package dev.breaker.cdi.internal;

import dev.breaker.Breaker;

/**
 * The application-wide shutdown breaker: trips once, when the container begins to shut down.
 * Thread-safe.
 */
final class ApplicationShutdown {
    private final Breaker breaker = Breaker.manual();

    Breaker breaker() {
        return breaker;
    }

    /** A breaker that trips only with this one; closing it leaves this one alone. */
    Breaker child() {
        return Breaker.multiplex(breaker);
    }

    void begin() {
        breaker.close();
    }
}
