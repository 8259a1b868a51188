package dev.breaker.worker.internal;

import dev.breaker.Breaker;
import dev.breaker.internal.Durations;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One cap on a duration for the whole library, 36,500 days: what the CDI configuration accepts
 * the worker graph and the breakers take as it is. Before, 80 years passed the configuration's
 * check (100 years) and the graph cut it to 73 years without a word.
 */
class OneCapTest {
    private static final Duration EIGHTY_YEARS = Duration.ofDays(365L * 80);

    @Test
    void theGraphTakesEveryDurationUpToTheCapAsItIs() {
        assertEquals(Duration.ofDays(36_500), Durations.MAX);
        assertEquals(EIGHTY_YEARS.toNanos(), Time.nanos(EIGHTY_YEARS));
        assertEquals(Durations.MAX_NANOS, Time.nanos(Durations.MAX));
        assertEquals(Durations.MAX_NANOS, Time.nanos(Duration.ofDays(50_000)), "beyond the cap: the cap");
    }

    @Test
    void aBreakerCountsALongerTimeoutAsTheCap() {
        try (Breaker eighty = Breaker.byTimeout(EIGHTY_YEARS); Breaker longer = Breaker.byTimeout(Duration.ofDays(50_000))) {
            Duration e = eighty.remaining().orElseThrow();
            assertTrue(e.compareTo(EIGHTY_YEARS) <= 0 && e.compareTo(EIGHTY_YEARS.minusDays(1)) > 0, "80 years: " + e);
            Duration l = longer.remaining().orElseThrow();
            assertTrue(l.compareTo(Durations.MAX) <= 0 && l.compareTo(Durations.MAX.minusDays(1)) > 0, "the cap: " + l);
        }
    }
}
