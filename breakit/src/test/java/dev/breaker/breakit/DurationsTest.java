package dev.breaker.breakit;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DurationsTest {
    @Test
    void goForms() {
        assertEquals(Duration.ofMinutes(10), Durations.parse("10m", "d"));
        assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m", "d"));
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms", "d"));
        assertEquals(Duration.ofSeconds(2), Durations.parse("2s", "d"));
        assertEquals(Duration.ofMinutes(90), Durations.parse("1.5h", "d"));
        assertEquals(Duration.ofMillis(1500), Durations.parse("1s500ms", "d"));
        assertEquals(Duration.ofNanos(1_001_000), Durations.parse("1ms1us1000ns", "d").minusNanos(1000));
        assertEquals(Duration.ofMillis(300), Durations.parse(".3s", "d"));
        assertEquals(Duration.ZERO, Durations.parse("0", "d"));
    }

    @Test
    void iso8601() {
        assertEquals(Duration.ofMinutes(10), Durations.parse("PT10M", "d"));
        assertEquals(Duration.ofDays(1), Durations.parse("P1D", "d"));
        assertEquals(Duration.ofSeconds(2), Durations.parse("pt2s", "d"));
    }

    @Test
    void refused() {
        for (String bad : new String[] {"", " ", "10", "1h30", "10x", "-1s", "-PT1S", "PT-1S", "s", "1..5s", "1 s", "P", "9999999999999999h"}) {
            assertThrows(BadInput.class, () -> Durations.parse(bad, "d"), bad);
        }
        assertThrows(BadInput.class, () -> Durations.parsePositive("0s", "d"));
    }

    @Test
    void formatting() {
        assertEquals("500ms", Durations.format(Duration.ofMillis(500)));
        assertEquals("2s", Durations.format(Duration.ofMillis(2040)));
        assertEquals("10m", Durations.format(Duration.ofMinutes(10)));
        assertEquals("1h30m", Durations.format(Duration.ofMinutes(90)));
        assertEquals("1h5s", Durations.format(Duration.ofSeconds(3605)));
    }
}
