package dev.breaker.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The budget header read from hostile values: never an exception, never a budget the values do not state. */
class BudgetTest {

    static Stream<Arguments> values() {
        return Stream.of(
                // header values as received -> the budget in ms, or -1 for none
                Arguments.of(List.of("850"), 850L),
                Arguments.of(List.of("0"), 0L),
                Arguments.of(List.of("00000001"), 1L),
                Arguments.of(List.of(" 42\t"), 42L),
                Arguments.of(List.of("99999999"), 99_999_999L),
                Arguments.of(List.of("100000000"), -1L),           // nine digits: too long
                Arguments.of(List.of("99999999999999999999999"), -1L),
                Arguments.of(List.of("-1"), -1L),
                Arguments.of(List.of("+5"), -1L),
                Arguments.of(List.of("1.5"), -1L),
                Arguments.of(List.of("1e3"), -1L),
                Arguments.of(List.of("0x10"), -1L),
                Arguments.of(List.of("10ms"), -1L),
                Arguments.of(List.of("1S"), -1L),
                Arguments.of(List.of("NaN"), -1L),
                Arguments.of(List.of(""), -1L),
                Arguments.of(List.of("   "), -1L),
                Arguments.of(List.of("\u0661\u0662\u0663"), -1L),  // Arabic-Indic digits
                Arguments.of(List.of("\uff11\uff12"), -1L),        // full-width digits
                Arguments.of(List.of("1 2"), -1L),
                Arguments.of(List.of("12\r\n"), -1L),
                Arguments.of(List.of("500", "200"), 200L),         // repeated: the smallest
                Arguments.of(List.of("500, 200, x"), 200L),        // one folded list: the smallest valid
                Arguments.of(List.of("x", "300"), 300L),
                Arguments.of(List.of(",,,"), -1L),
                Arguments.of(Arrays.asList(null, "7"), 7L),
                Arguments.of(List.of(), -1L)
        );
    }

    @ParameterizedTest
    @MethodSource("values")
    void aHostileValueIsIgnoredAndNeverLengthensTheBudget(List<String> values, long expectedMs) {
        Optional<Duration> parsed = Budget.parse(values);
        assertEquals(expectedMs < 0 ? Optional.empty() : Optional.of(Duration.ofMillis(expectedMs)), parsed,
                "values " + values);
    }

    @Test
    void noHeaderIsNoBudget() {
        assertEquals(Optional.empty(), Budget.parse(null));
    }

    @Test
    void aLongListIsReadWithoutFailing() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            many.add(i % 2 == 0 ? "garbage" : String.valueOf(90_000 - i));
        }
        assertEquals(Optional.of(Duration.ofMillis(80_001)), Budget.parse(many));
    }

    @Test
    void formatRoundsDownAndSaturates() {
        assertEquals("850", Budget.format(Duration.ofNanos(850_999_999)));
        assertEquals("0", Budget.format(Duration.ofNanos(999_999)));
        assertEquals("0", Budget.format(Duration.ofMillis(-5)));
        assertEquals("99999999", Budget.format(Duration.ofDays(365)));
        assertEquals("99999999", Budget.format(Duration.ofSeconds(Long.MAX_VALUE)));
    }
}
