package dev.breaker.sample;

import java.util.Locale;

/**
 * The pipeline's transformation: normalise whitespace and upper-case. Pure, so the REST layer
 * can check before acknowledging that its result fits the events table ({@code "ß"} upper-cases
 * to {@code "SS"}, so a payload within the limit can outgrow it).
 */
final class Transform {
    private Transform() {
    }

    static String apply(String payload) {
        return payload.strip().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
    }
}
