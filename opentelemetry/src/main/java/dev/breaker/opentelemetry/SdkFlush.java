package dev.breaker.opentelemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.trace.SdkTracerProvider;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The SDK's side of {@link Flush}: loaded only when the SDK is present. Spans first (a span
 * processor's batch), then metrics (a periodic reader's last collection, which also reads the
 * gauges), both started at once and waited for together. Stateless; thread-safe.
 */
final class SdkFlush {
    private SdkFlush() {
    }

    static boolean flushable(OpenTelemetry otel) {
        return otel instanceof OpenTelemetrySdk
                || otel.getTracerProvider() instanceof SdkTracerProvider
                || otel.getMeterProvider() instanceof SdkMeterProvider;
    }

    static boolean flush(OpenTelemetry otel, Duration timeout) {
        List<CompletableResultCode> codes = new ArrayList<>(2);
        if (otel instanceof OpenTelemetrySdk) {
            OpenTelemetrySdk sdk = (OpenTelemetrySdk) otel;
            codes.add(sdk.getSdkTracerProvider().forceFlush());
            codes.add(sdk.getSdkMeterProvider().forceFlush());
        } else {
            if (otel.getTracerProvider() instanceof SdkTracerProvider) {
                codes.add(((SdkTracerProvider) otel.getTracerProvider()).forceFlush());
            }
            if (otel.getMeterProvider() instanceof SdkMeterProvider) {
                codes.add(((SdkMeterProvider) otel.getMeterProvider()).forceFlush());
            }
        }
        return CompletableResultCode.ofAll(codes).join(timeout.toNanos(), TimeUnit.NANOSECONDS).isSuccess();
    }
}
