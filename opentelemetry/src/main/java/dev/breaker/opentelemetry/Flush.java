package dev.breaker.opentelemetry;

import io.opentelemetry.api.OpenTelemetry;

import java.lang.System.Logger.Level;
import java.time.Duration;

/**
 * The final flush of a shutdown. The OpenTelemetry API has no flush; the SDK has
 * {@code forceFlush()} on its tracer and meter providers. The SDK is an optional dependency:
 * {@link SdkFlush}, the only class that names its types, is loaded only when
 * {@code io.opentelemetry.sdk.OpenTelemetrySdk} is visible from this module's class loader, and
 * only used when the instance is one (or its providers are SDK providers). Elsewhere (an
 * application server whose MicroProfile Telemetry keeps its SDK to itself) nothing is flushed
 * and a DEBUG line ({@code BRKR041}) says so once per instance. Stateless; thread-safe.
 */
final class Flush {
    private static final boolean SDK = present("io.opentelemetry.sdk.OpenTelemetrySdk")
            && present("io.opentelemetry.sdk.trace.SdkTracerProvider")
            && present("io.opentelemetry.sdk.metrics.SdkMeterProvider");

    private Flush() {
    }

    /**
     * Flushes the spans and metrics of {@code otel} and waits for at most {@code timeout} in all;
     * never throws.
     *
     * @return true if both flushed in time, false if not or if the instance cannot be flushed
     */
    static boolean flush(OpenTelemetry otel, Duration timeout) {
        try {
            if (SDK && SdkFlush.flushable(otel)) {
                boolean done = SdkFlush.flush(otel, timeout);
                if (!done) {
                    Messages.LOG.log(Level.WARNING, Messages.flushIncomplete("spans and metrics", timeout));
                }
                return done;
            }
            Messages.LOG.log(Level.DEBUG, () -> Messages.noFlush(otel));
            return false;
        } catch (Throwable t) {
            Messages.LOG.log(Level.WARNING, Messages.flushIncomplete("spans and metrics", timeout), t);
            return false;
        }
    }

    private static boolean present(String name) {
        try {
            Class.forName(name, false, Flush.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
