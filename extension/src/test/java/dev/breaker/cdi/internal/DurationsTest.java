package dev.breaker.cdi.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({"PT2S,2000", "pt0.5s,500", "2s,2000", "150ms,150", "1m,60000", "1h,3600000", "1d,86400000",
            "5,5000", "0,0", " 3s ,3000", "PT0S,0"})
    void parses(String text, long millis) {
        assertEquals(Duration.ofMillis(millis), Durations.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1s", "-PT1S", "PT-1S", "abc", "1.5s", "2 seconds", "", "1x", "P"})
    void rejects(String text) {
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
    }

    /** Issue 10 item 6: values that overflow, or exceed the bound, are an IllegalArgumentException too. */
    @ParameterizedTest
    @ValueSource(strings = {"110000d", "36501d", "999999999999999999d", "999999999999999999", "999999999999999999h",
            "PT876601H", "P36501D", "PT9999999999999999H", "PT99999999999999999999S"})
    void rejectsDurationsBeyondTheBound(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
        assertEquals(Durations.OutOfRange.class, e.getClass(), () -> text + " gave " + e);
    }

    @Test
    void acceptsTheBoundItself() {
        assertEquals(Duration.ofDays(36_500), Durations.parse("36500d"));
        assertEquals(Durations.MAX, Durations.parse("36500d"));
        assertEquals(Duration.ofDays(36_500), Durations.parse("P36500D"));
    }
}
