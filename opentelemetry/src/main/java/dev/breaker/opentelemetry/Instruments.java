package dev.breaker.opentelemetry;

import dev.breaker.BreakReason;
import dev.breaker.worker.WorkerState;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Tracer;

import java.util.List;
import java.util.Locale;

/**
 * The instruments, tracer and attribute names of the module, made once per
 * {@link BreakerTelemetry}. The asynchronous instruments ({@code breaker.workers},
 * {@code breaker.worker.restarts}) are registered by {@link BreakerTelemetry}, which owns their
 * callbacks. Immutable; OpenTelemetry instruments are thread-safe.
 */
final class Instruments {
    static final String SCOPE = "dev.breaker";

    static final AttributeKey<String> TRIP_KIND = AttributeKey.stringKey("breaker.trip.kind");
    static final AttributeKey<String> WORKER = AttributeKey.stringKey("breaker.worker");
    static final AttributeKey<String> WORKER_STATE = AttributeKey.stringKey("breaker.worker.state");
    static final AttributeKey<String> WORKER_OUTCOME = AttributeKey.stringKey("breaker.worker.outcome");
    static final AttributeKey<Boolean> WORKER_ABANDONED = AttributeKey.booleanKey("breaker.worker.abandoned");
    static final AttributeKey<String> STOP_REASON = AttributeKey.stringKey("breaker.stop.reason");
    static final AttributeKey<String> STOP_CAUSE = AttributeKey.stringKey("breaker.stop.cause");
    static final AttributeKey<Long> WORKERS = AttributeKey.longKey("breaker.workers");

    /** Buckets for durations of starts, stops and shutdowns, in seconds: 5 ms to 60 s. */
    private static final List<Double> SECONDS = List.of(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
            10.0, 30.0, 60.0);

    final Tracer tracer;
    final Meter meter;
    final LongCounter trips;
    final DoubleHistogram startDuration;
    final DoubleHistogram stopDuration;
    final LongCounter abandonedStops;
    final DoubleHistogram shutdownDuration;
    /** The attributes of {@code breaker.trips} by {@link BreakReason.Kind#ordinal()}: no allocation per trip. */
    private final Attributes[] tripKinds;

    Instruments(OpenTelemetry otel) {
        tracer = otel.getTracer(SCOPE);
        meter = otel.getMeter(SCOPE);
        trips = meter.counterBuilder("breaker.trips").setUnit("{trip}")
                .setDescription("Breakers tripped, by kind of reason (a live breaker closed is a trip of kind closed)")
                .build();
        startDuration = meter.histogramBuilder("breaker.worker.start.duration").setUnit("s")
                .setDescription("How long a worker's start took, to its end or to the moment it was given up on")
                .setExplicitBucketBoundariesAdvice(SECONDS).build();
        stopDuration = meter.histogramBuilder("breaker.worker.stop.duration").setUnit("s")
                .setDescription("How long a worker's stop took, to its end or to the moment it was given up on")
                .setExplicitBucketBoundariesAdvice(SECONDS).build();
        abandonedStops = meter.counterBuilder("breaker.worker.stops.abandoned").setUnit("{stop}")
                .setDescription("Worker stops that overran their stop timeout and were given up on").build();
        shutdownDuration = meter.histogramBuilder("breaker.shutdown.duration").setUnit("s")
                .setDescription("How long a worker graph's shutdown took, from its request to its report")
                .setExplicitBucketBoundariesAdvice(SECONDS).build();
        BreakReason.Kind[] kinds = BreakReason.Kind.values();
        tripKinds = new Attributes[kinds.length];
        for (BreakReason.Kind k : kinds) {
            tripKinds[k.ordinal()] = Attributes.of(TRIP_KIND, lower(k));
        }
    }

    /** Counts one trip; called on the tripping thread (see {@link dev.breaker.internal.TripObservers}). */
    void tripped(BreakReason why) {
        trips.add(1, tripKinds[why.kind().ordinal()]);
    }

    static Attributes state(WorkerState s) {
        return Attributes.of(WORKER_STATE, lower(s));
    }

    /** An enum constant as an attribute value: {@code TIMED_OUT} is {@code timed_out}. */
    static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
