package dev.breaker.cdi.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses configured durations: ISO-8601 ({@code PT2S}, {@code PT0.5S}) or the short forms Quarkus
 * users write, a whole number followed by {@code ms}, {@code s}, {@code m}, {@code h} or {@code d}
 * ({@code 150ms}, {@code 2s}, {@code 1m}). A plain number is seconds, as in Quarkus. Negative
 * durations are invalid. Stateless; thread-safe.
 */
public final class Durations {
    /** What the error message says a duration looks like. */
    public static final String EXPECTED = "a non-negative duration such as 2s, 150ms, 1m, 1h or PT2S";
    /** What the error message says a positive duration looks like. */
    public static final String EXPECTED_POSITIVE = "a positive duration such as 2s, 150ms, 1m, 1h or PT2S";
    private static final Pattern SHORT = Pattern.compile("(\\d{1,18})\\s*(ms|s|m|h|d)?");

    private Durations() {
    }

    /** @throws IllegalArgumentException if {@code text} is not a non-negative duration */
    public static Duration parse(String text) {
        String s = text.trim().toLowerCase(java.util.Locale.ROOT);
        Duration d;
        Matcher m = SHORT.matcher(s);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            d = switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } else if (s.startsWith("p") || s.startsWith("-p")) {
            try {
                d = Duration.parse(s);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(text, e);
            }
        } else {
            throw new IllegalArgumentException(text);
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException(text);
        }
        return d;
    }
}
