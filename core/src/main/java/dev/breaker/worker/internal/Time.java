package dev.breaker.worker.internal;

import java.time.Duration;

/**
 * Duration arithmetic for the engine that saturates instead of overflowing. Every duration a
 * user may configure (start, stop and shutdown timeouts, restart windows, back-offs) goes
 * through here before it meets the graph's {@link Clock} or a {@link dev.breaker.Breaker}: it
 * is capped at {@link #MAX_NANOS} (36,500 days, the library's one cap), so that {@code now + nanos} never overflows
 * in a way that breaks the {@code deadline - now} comparisons of the monotonic clock, and the
 * core never sees a duration it cannot represent. Stateless.
 */
final class Time {
    /** The longest duration the engine works with: the library's one cap, 36,500 days (about 100 years). */
    static final long MAX_NANOS = dev.breaker.internal.Durations.MAX_NANOS;
    /** {@link #MAX_NANOS} as a duration. */
    static final Duration MAX = dev.breaker.internal.Durations.MAX;

    private Time() {
    }

    /** {@code d} in nanoseconds, between 0 (for a negative {@code d}) and {@link #MAX_NANOS}. */
    static long nanos(Duration d) {
        if (d.isNegative()) {
            return 0;
        }
        if (d.getSeconds() >= MAX_NANOS / 1_000_000_000L) {
            return MAX_NANOS;
        }
        return Math.min(d.toNanos(), MAX_NANOS);
    }

    /** {@code d}, at most {@link #MAX}; what the engine hands to a breaker. */
    static Duration capped(Duration d) {
        return d.compareTo(MAX) > 0 ? MAX : d;
    }

    /** {@code d * 2}, at most {@code max}, without overflow. */
    static Duration doubled(Duration d, Duration max) {
        if (d.compareTo(max.dividedBy(2)) > 0) {
            return max;
        }
        Duration twice = d.multipliedBy(2);
        return twice.compareTo(max) > 0 ? max : twice;
    }
}
