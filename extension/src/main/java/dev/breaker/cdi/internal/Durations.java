package dev.breaker.cdi.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses configured durations: ISO-8601 ({@code PT2S}, {@code PT0.5S}) or the short forms Quarkus
 * users write, a whole number followed by {@code ms}, {@code s}, {@code m}, {@code h} or {@code d}
 * ({@code 150ms}, {@code 2s}, {@code 1m}). A plain number is seconds, as in Quarkus. Negative
 * durations are invalid, and so is anything longer than {@link #MAX} (36,500 days, about 100
 * years): such a value is a mistake, and one near the limit of {@link Duration#toNanos()}
 * (about 292 years) would overflow the moment it is added to a clock reading. Every failure,
 * overflow included, is an {@link IllegalArgumentException}. Stateless; thread-safe.
 */
public final class Durations {
    /** The longest duration accepted: the library's one cap, 36,500 days (core's {@code Durations.MAX}). */
    public static final Duration MAX = dev.breaker.internal.Durations.MAX;
    /** What the error message says a duration looks like. */
    public static final String EXPECTED = "a non-negative duration such as 2s, 150ms, 1m, 1h or PT2S";
    /** What the error message says a positive duration looks like. */
    public static final String EXPECTED_POSITIVE = "a positive duration such as 2s, 150ms, 1m, 1h or PT2S";
    /** What the error message says when a duration is longer than {@link #MAX}. */
    public static final String EXPECTED_AT_MOST = "at most 36500d (about 100 years)";
    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");

    private Durations() {
    }

    /** A duration that is well formed but longer than {@link #MAX} (or too long to represent). */
    public static final class OutOfRange extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        OutOfRange(String text, Throwable cause) {
            super(text + " is longer than " + MAX.toDays() + " days", cause);
        }
    }

    /** @throws IllegalArgumentException if {@code text} is not a non-negative duration of at most {@link #MAX} */
    public static Duration parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        Duration d;
        Matcher m = SHORT.matcher(s);
        if (m.matches()) {
            String unit = m.group(2) == null ? "s" : m.group(2);
            try {
                long n = Long.parseLong(m.group(1));
                d = switch (unit) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            } catch (ArithmeticException | NumberFormatException overflow) { // digits only: too many of them
                throw new OutOfRange(text, overflow);
            }
        } else if (s.startsWith("p") || s.startsWith("-p")) {
            try {
                d = Duration.parse(s);
            } catch (DateTimeParseException e) {
                if (e.getCause() instanceof ArithmeticException || e.getCause() instanceof NumberFormatException) {
                    throw new OutOfRange(text, e); // well formed, but its numbers overflow
                }
                throw new IllegalArgumentException(text, e);
            } catch (ArithmeticException overflow) {
                throw new OutOfRange(text, overflow);
            }
        } else {
            throw new IllegalArgumentException(text);
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException(text);
        }
        if (d.compareTo(MAX) > 0) {
            throw new OutOfRange(text, null);
        }
        return d;
    }
}
