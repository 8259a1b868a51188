package dev.breaker.cdi.internal;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;
import dev.breaker.internal.Breakers;
import dev.breaker.internal.ManualBreaker;

import java.time.Duration;

/**
 * The application-wide shutdown breaker: trips once, with {@code BreakReason.shutdown("application")},
 * when the container begins to shut down. Breakers handed to the application are children of it,
 * so their {@code reason().root()} is that SHUTDOWN reason.
 *
 * <p>Every child registers an action on its parent while it lives, under the parent's lock; with
 * one parent, every request thread of the application would queue on that one lock. So children
 * hang from one of several stripes, picked by thread, which all trip with the root. Thread-safe.
 */
final class ApplicationShutdown {
    private static final BreakReason REASON = BreakReason.shutdown("application");

    private final ManualBreaker root = Breakers.manual();
    private final ManualBreaker[] stripes;

    ApplicationShutdown() {
        int n = Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors()) * 2 - 1) * 2;
        stripes = new ManualBreaker[Math.min(n, 64)];
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = Breakers.manual();
        }
    }

    /** The root breaker (readiness, job rejection); callers must not close it. */
    Breaker breaker() {
        return root;
    }

    /** A breaker that trips only with this one; closing it leaves this one alone. */
    Breaker child() {
        return Breaker.multiplex(stripe());
    }

    /** A breaker that trips with this one or after {@code timeout}, whichever comes first. */
    Breaker child(Duration timeout) {
        return stripe().withTimeout(timeout);
    }

    private ManualBreaker stripe() {
        return stripes[(int) Thread.currentThread().getId() & (stripes.length - 1)];
    }

    /** Trips the shutdown breaker and every stripe; idempotent. */
    void begin() {
        root.trip(REASON);
        for (ManualBreaker s : stripes) {
            s.trip(REASON);
        }
    }
}
