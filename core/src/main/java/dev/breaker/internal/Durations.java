package dev.breaker.internal;

import java.time.Duration;

/** Duration arithmetic that saturates instead of overflowing. Stateless. */
final class Durations {
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
