package dev.breaker;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Breaker#remaining()}: the earliest time bound over a breaker, its parents and children,
 * never more than the time really left (a budget passed on must not outlast the breaker).
 */
class RemainingTest {

    private static Duration left(Breaker b) {
        return b.remaining().orElseThrow(() -> new AssertionError("no time left known for " + b));
    }

    private static void assertWithin(Duration low, Duration high, Duration actual) {
        assertTrue(actual.compareTo(low) >= 0 && actual.compareTo(high) <= 0,
                actual + " not within [" + low + ", " + high + "]");
    }

    @Test
    void aTimeoutKnowsItsTimeLeftAndZeroOnceTripped() {
        try (Breaker b = Breaker.byTimeout(Duration.ofSeconds(10))) {
            assertWithin(Duration.ofSeconds(8), Duration.ofSeconds(10), left(b));
            b.close();
            assertEquals(Optional.of(Duration.ZERO), b.remaining());
        }
        try (Breaker d = Breaker.byDeadline(Instant.now().plusSeconds(30))) {
            assertWithin(Duration.ofSeconds(28), Duration.ofSeconds(30), left(d));
        }
        assertEquals(Optional.of(Duration.ZERO), Breaker.byTimeout(Duration.ZERO).remaining());
    }

    @Test
    void nothingTimeBasedMeansEmpty() {
        try (Breaker manual = Breaker.manual()) {
            assertEquals(Optional.empty(), manual.remaining());
            assertEquals(Optional.empty(), Breaker.multiplex(manual, Breaker.manual()).remaining());
            manual.close();
            assertEquals(Optional.of(Duration.ZERO), manual.remaining());
        }
    }

    @Test
    void aChildHasTheEarlierOfItsOwnTimeoutAndItsParents() {
        try (Breaker parent = Breaker.byTimeout(Duration.ofSeconds(2));
             Breaker loose = parent.withTimeout(Duration.ofHours(1));
             Breaker tight = parent.withTimeout(Duration.ofMillis(500));
             Breaker manual = Breaker.manual();
             Breaker underManual = manual.withTimeout(Duration.ofSeconds(5))) {
            assertWithin(Duration.ofSeconds(1), Duration.ofSeconds(2), left(loose));
            assertWithin(Duration.ZERO, Duration.ofMillis(500), left(tight));
            assertWithin(Duration.ofSeconds(3), Duration.ofSeconds(5), left(underManual));
        }
    }

    @Test
    void aMultiplexHasItsEarliestChild() {
        Breaker foreign = new RecordingBreaker(Breaker.byTimeout(Duration.ofSeconds(3))); // not one of ours
        try (Breaker far = Breaker.byTimeout(Duration.ofHours(1));
             Breaker manual = Breaker.manual();
             Breaker any = Breaker.multiplex(manual, far, foreign);
             Breaker anyNear = Breaker.multiplex(far, Breaker.byTimeout(Duration.ofMillis(800)))) {
            assertWithin(Duration.ofSeconds(1), Duration.ofSeconds(3), left(any));
            assertWithin(Duration.ZERO, Duration.ofMillis(800), left(anyNear));
            manual.close();
            assertEquals(Optional.of(Duration.ZERO), any.remaining());
        } finally {
            foreign.close();
        }
    }
}
