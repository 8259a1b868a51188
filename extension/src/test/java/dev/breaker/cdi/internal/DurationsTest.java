package dev.breaker.cdi.internal;

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
}
