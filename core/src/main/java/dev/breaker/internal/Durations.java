package dev.breaker.internal;

import java.time.Duration;

/**
 * Duration arithmetic that saturates instead of overflowing, and the library's one cap on a
 * duration, {@link #MAX}: the breakers, the worker graph and the CDI extension's configuration
 * all stop at it (a breaker or the graph counts a longer one as {@code MAX}; the configuration
 * rejects a longer one). Stateless.
 */
public final class Durations {
    /**
     * The longest duration the library works with: 36,500 days (about 100 years). Its
     * nanoseconds, 3.2e18, leave room in a long for adding two of them to a clock reading.
     */
    public static final Duration MAX = Duration.ofDays(36_500);
    /** {@link #MAX} in nanoseconds. */
    public static final long MAX_NANOS = MAX.toNanos();

    private Durations() {
    }

    static long toNanosSaturated(Duration d) {
        if (d.isNegative()) {
            return 0;
        }
        try {
            return d.toNanos();
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }

    static Duration requireNotNegative(Duration d, String what) {
        if (d == null) {
            throw new NullPointerException(what + " must not be null");
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative: " + d);
        }
        return d;
    }
}
