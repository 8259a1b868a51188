package dev.breaker.internal;

import dev.breaker.BreakReason;

/**
 * A breaker that trips only when closed or {@linkplain #trip tripped} by its owner; it holds
 * nothing to release. Thread safety as {@link AbstractBreaker}.
 */
public final class ManualBreaker extends AbstractBreaker {
    /**
     * Trips this breaker with {@code why} (its owner's reason, such as a shutdown) if it is live.
     * For the library's own owners of a manual breaker (the application's and the worker graph's
     * shutdown), which never hand the breaker itself to anyone; {@code close()} trips it with
     * {@link BreakReason#CLOSED}.
     *
     * @return true if this call tripped it
     */
    public boolean tripAs(BreakReason why) {
        return trip(why);
    }
}
