package dev.breaker.http;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The time budget a request carries to the next service: the header {@value #HEADER}, whose value
 * is the caller's time left in whole milliseconds, one to eight ASCII digits ({@code Breaker-Budget: 850}).
 * Relative, like gRPC's {@code grpc-timeout}, because an absolute time would depend on both
 * machines' clocks agreeing; eight digits, like gRPC's, cap it at 99,999,999 ms (about 27 hours).
 *
 * <p>Reading is strict and never fails: a value that is not one to eight ASCII digits (a sign, a
 * fraction, an exponent, other scripts' digits, nine digits or more, empty) is ignored, as if
 * absent; several values (repeated headers, or one comma-separated list) give the smallest valid
 * one. A budget can only shorten what a service would allow anyway: the receiving side applies it
 * as the earlier of its own limit and the budget.
 *
 * <p>Stateless and thread-safe.
 */
public final class Budget {
    /** The header's name. */
    public static final String HEADER = "Breaker-Budget";
    /** The largest value: eight digits of milliseconds. */
    public static final long MAX_MILLIS = 99_999_999L;

    private Budget() {
    }

    /**
     * The smallest valid budget among the header's values, or empty if none is valid.
     *
     * @param values the header's values as the server received them (null or empty: no header)
     * @return the smallest valid budget, from zero to {@link #MAX_MILLIS} milliseconds, or empty
     *         if no value is valid
     */
    public static Optional<Duration> parse(List<String> values) {
        if (values == null) {
            return Optional.empty();
        }
        long min = -1;
        for (String value : values) {
            if (value == null) {
                continue;
            }
            int start = 0;
            while (start <= value.length()) {
                int comma = value.indexOf(',', start);
                int end = comma < 0 ? value.length() : comma;
                long ms = millis(value, start, end);
                if (ms >= 0 && (min < 0 || ms < min)) {
                    min = ms;
                }
                start = end + 1;
            }
        }
        return min < 0 ? Optional.empty() : Optional.of(Duration.ofMillis(min));
    }

    /** One value between {@code from} and {@code to}: its milliseconds, or -1 if it is not valid. */
    static long millis(String s, int from, int to) {
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
            to--;
        }
        int digits = to - from;
        if (digits < 1 || digits > 8) {
            return -1;
        }
        long ms = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            ms = ms * 10 + (c - '0');
        }
        return ms;
    }

    /**
     * The header value for {@code left}: its whole milliseconds (rounded down, so the receiver
     * never gets more than the caller has), at most {@link #MAX_MILLIS}; a negative time is 0.
     *
     * @param left the caller's time left, such as {@link dev.breaker.Breaker#remaining()}
     * @return one to eight ASCII digits, a valid value for {@link #parse(List)}
     * @throws NullPointerException if {@code left} is null
     */
    public static String format(Duration left) {
        if (left.isNegative()) {
            return "0";
        }
        long ms;
        try {
            ms = left.toMillis();
        } catch (ArithmeticException huge) {
            ms = MAX_MILLIS;
        }
        return Long.toString(Math.min(ms, MAX_MILLIS));
    }
}
