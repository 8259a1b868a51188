package dev.breaker.bench;

import dev.breaker.opentelemetry.BreakerTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

import java.util.concurrent.TimeUnit;

/**
 * What {@code breaker-opentelemetry} costs the per-request path (issue 25): the shapes of
 * {@link TripEventBenchmark}, with
 * <ul>
 *   <li>{@code none}: the module not installed (no trip observer: what every application without
 *       OpenTelemetry runs);</li>
 *   <li>{@code installed}: {@code BreakerTelemetry.install} on a real OpenTelemetry SDK whose
 *       meter provider has a reader (the SDK's in-memory one, never collected here), so every
 *       trip adds 1 to {@code breaker.trips} with its kind as the attribute.</li>
 * </ul>
 * Both in the same run, so that the ratio sees the same machine.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
@Fork(1)
@State(Scope.Benchmark)
public class TripTelemetryBenchmark extends TripShapes {
    @Param({"none", "installed"})
    public String telemetry;

    OpenTelemetrySdk sdk;
    BreakerTelemetry installed;

    @Setup(Level.Trial)
    public void setUp() {
        if (telemetry.equals("installed")) {
            sdk = OpenTelemetrySdk.builder()
                    .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(InMemoryMetricReader.create()).build())
                    .build();
            installed = BreakerTelemetry.install(sdk);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (installed != null) {
            installed.close();
            sdk.close();
        }
    }
}
