package dev.breaker.bench;

import dev.breaker.Breaker;
import org.openjdk.jmh.annotations.Benchmark;

import java.time.Duration;

/**
 * The three per-request trip shapes that {@link TripEventBenchmark} (Flight Recorder) and
 * {@link TripTelemetryBenchmark} (OpenTelemetry) measure, each under its own parameters.
 */
public abstract class TripShapes {
    private static final Duration HOUR = Duration.ofHours(1);

    /** A breaker without a timeout, created and closed (a close is a trip of kind {@code CLOSED}). */
    @Benchmark
    public Breaker manualCreateClose() {
        Breaker b = Breaker.manual();
        b.close();
        return b;
    }

    /** A request breaker with a timeout, created and closed before it fires (the common case). */
    @Benchmark
    public Breaker timeoutCreateClose() {
        Breaker b = Breaker.byTimeout(HOUR);
        b.close();
        return b;
    }

    /** A multiplex tripped by its child (kind {@code CHILD}): two breakers created, two trips. */
    @Benchmark
    public Breaker createTrip() {
        Breaker parent = Breaker.manual();
        Breaker child = Breaker.multiplex(parent);
        parent.close();
        return child;
    }
}
