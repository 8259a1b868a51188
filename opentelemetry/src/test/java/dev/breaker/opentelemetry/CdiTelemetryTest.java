package dev.breaker.opentelemetry;

import dev.breaker.cdi.BreakerExtension;
import dev.breaker.cdi.DependsOn;
import dev.breaker.cdi.Worker;
import dev.breaker.internal.TripObservers;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricExporter;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.smallrye.config.inject.ConfigExtension;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.jboss.weld.junit5.WeldInitiator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.breaker.opentelemetry.Otel.one;
import static dev.breaker.opentelemetry.Otel.worker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In a Weld SE container with the extension: an {@code OpenTelemetry} bean is enough for the
 * extension's worker graph to be recorded and flushed at the container's shutdown (before the
 * application closes its SDK); without one, nothing is recorded and nothing fails. Either way,
 * the container's end leaves no trip observer behind.
 */
class CdiTelemetryTest {
    private static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
    private static final InMemoryMetricExporter METRICS = InMemoryMetricExporter.create();
    private static OpenTelemetrySdk sdk;

    @Worker
    static class Db {
        @PostConstruct
        void open() {
        }
    }

    @Worker
    @DependsOn(Db.class)
    static class Http {
        @PostConstruct
        void open() {
        }
    }

    /** What MicroProfile Telemetry or Quarkus would produce (Quarkus: a {@code @Singleton} SDK). */
    static class Telemetry {
        @Produces
        @Singleton
        OpenTelemetry openTelemetry() {
            return sdk;
        }
    }

    private static Weld weld(Class<?>... beans) {
        Otel.quietLogs();
        return WeldInitiator.createWeld().addBeanClasses(beans)
                .addExtensions(new BreakerExtension(), new ConfigExtension());
    }

    @AfterEach
    void closeSdk() {
        if (sdk != null) {
            sdk.close();
            sdk = null;
        }
        SPANS.reset();
        METRICS.reset();
        assertEquals(0, TripObservers.count(), "the container's end left a trip observer");
    }

    @Test
    void theContainersWorkerGraphIsRecordedAndFlushedAtItsShutdown() {
        sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(BatchSpanProcessor.builder(SPANS).setScheduleDelay(Duration.ofHours(1)).build())
                        .build())
                .setMeterProvider(SdkMeterProvider.builder()
                        .registerMetricReader(PeriodicMetricReader.builder(METRICS).setInterval(Duration.ofHours(1)).build())
                        .build())
                .build();
        try (WeldContainer container = weld(Db.class, Http.class, Telemetry.class, CdiTelemetry.class).initialize()) {
            assertTrue(container.isRunning());
            assertEquals(1, TripObservers.count(), "trips are counted while the application runs");
            assertTrue(SPANS.getFinishedSpanItems().isEmpty(), "nothing exported before a flush");
        }
        // the container is gone, the SDK still open: the module flushed at the end of the shutdown
        List<SpanData> s = SPANS.getFinishedSpanItems();
        SpanData start = one(s, "breaker start");
        SpanData stop = one(s, "breaker stop");
        assertEquals("requested", stop.getAttributes().get(AttributeKey.stringKey("breaker.stop.reason")));
        for (String w : List.of("db", "http")) {
            assertEquals(start.getSpanId(), worker(s, "breaker worker start", w).getParentSpanId(), w);
            assertEquals(stop.getSpanId(), worker(s, "breaker worker stop", w).getParentSpanId(), w);
        }
        assertTrue(worker(s, "breaker worker stop", "db").getStartEpochNanos()
                >= worker(s, "breaker worker stop", "http").getEndEpochNanos(), "db stopped after http");
        assertTrue(Otel.metric(METRICS.getFinishedMetricItems(), "breaker.shutdown.duration").isPresent());
    }

    @Test
    void withoutAnOpenTelemetryBeanNothingIsRecordedAndNothingFails() {
        try (WeldContainer container = weld(Db.class, Http.class, CdiTelemetry.class).initialize()) {
            assertTrue(container.isRunning());
            assertEquals(0, TripObservers.count());
        }
        assertTrue(SPANS.getFinishedSpanItems().isEmpty());
    }
}
