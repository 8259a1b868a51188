package dev.breaker.worker.internal;

import dev.breaker.worker.WorkerSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Issue 10, item 6: the doubling back-off saturates at its ceiling, never overflows. */
class BackoffTest {
    private static final Duration MAX = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);

    @Test
    void doublingAnInitialValueAboveHalfTheMaximumGivesTheMaximum() {
        WorkerSpec spec = WorkerSpec.builder("w").backoff(Duration.ofSeconds(Long.MAX_VALUE / 2 + 1), MAX).build();
        assertEquals(Duration.ofSeconds(Long.MAX_VALUE / 2 + 1), RoutineRunner.backoff(spec, 1));
        assertEquals(MAX, RoutineRunner.backoff(spec, 2));
        assertEquals(MAX, RoutineRunner.backoff(spec, Integer.MAX_VALUE));
    }

    @Test
    void manyRestartsFromOneNanosecondStayBelowTheCeiling() {
        WorkerSpec spec = WorkerSpec.builder("w").backoff(Duration.ofNanos(1), MAX).build();
        assertEquals(Duration.ofNanos(1L << 40), RoutineRunner.backoff(spec, 41));
        assertEquals(MAX, RoutineRunner.backoff(spec, 10_000));
    }

    @Test
    void saturatedNanosNeverOverflowDeadlineArithmetic() {
        long now = System.nanoTime();
        for (Duration d : new Duration[] {Duration.ofDays(110_000), MAX, Duration.ofSeconds(Long.MIN_VALUE / 2)}) {
            long nanos = Time.nanos(d);
            long deadline = now + nanos;
            assertEquals(true, deadline - now >= 0, d.toString());
        }
        assertEquals(Time.MAX_NANOS, Time.nanos(MAX));
        assertEquals(0, Time.nanos(Duration.ofSeconds(-5)));
        assertEquals(1_000_000_000L, Time.nanos(Duration.ofSeconds(1)));
    }
}
