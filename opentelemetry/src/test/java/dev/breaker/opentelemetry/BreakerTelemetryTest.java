package dev.breaker.opentelemetry;

import dev.breaker.Breaker;
import dev.breaker.internal.TripObservers;
import dev.breaker.worker.Policy;
import dev.breaker.worker.ShutdownReport;
import dev.breaker.worker.WorkerGraph;
import dev.breaker.worker.WorkerSpec;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static dev.breaker.opentelemetry.Otel.longValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@link BreakerTelemetry} counts and observes, read on demand from an
 * {@link InMemoryMetricReader}; and that {@link BreakerTelemetry#close()} undoes every
 * registration: the trip observer count returns to zero, the asynchronous instruments disappear,
 * and an instrumented graph records nothing more.
 */
class BreakerTelemetryTest {
    private static final AttributeKey<String> KIND = AttributeKey.stringKey("breaker.trip.kind");
    private static final AttributeKey<String> STATE = AttributeKey.stringKey("breaker.worker.state");
    private static final AttributeKey<String> WORKER = AttributeKey.stringKey("breaker.worker");

    private final InMemoryMetricReader reader = InMemoryMetricReader.create();
    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private OpenTelemetrySdk sdk;

    @BeforeEach
    void sdk() {
        Otel.quietLogs();
        sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(reader).build())
                .build();
    }

    @AfterEach
    void close() {
        sdk.close();
        assertEquals(0, TripObservers.count(), "a trip observer was left registered");
    }

    @Test
    void tripsAreCountedByKindUntilClose() throws Exception {
        BreakerTelemetry telemetry = BreakerTelemetry.install(sdk);
        assertEquals(1, TripObservers.count());
        Breaker.manual().close();
        Breaker.manual().close();
        Breaker closedTwice = Breaker.manual();
        closedTwice.close();
        closedTwice.close(); // not a second trip
        Breaker timed = Breaker.byTimeout(Duration.ofMillis(1));
        assertTrue(timed.await(Duration.ofSeconds(10)));
        Collection<MetricData> m = reader.collectAllMetrics();
        assertEquals(3, longValue(m, "breaker.trips", Attributes.of(KIND, "closed")));
        assertEquals(1, longValue(m, "breaker.trips", Attributes.of(KIND, "timeout")));

        telemetry.close();
        telemetry.close(); // idempotent
        assertEquals(0, TripObservers.count(), "close removed the trip observer");
        Breaker.manual().close();
        m = reader.collectAllMetrics();
        assertEquals(3, longValue(m, "breaker.trips", Attributes.of(KIND, "closed")), "no trip counted after close");
        assertTrue(Otel.metric(m, "breaker.workers").isEmpty(), "the asynchronous instruments are gone");
        assertTrue(Otel.metric(m, "breaker.worker.restarts").isEmpty(), "the asynchronous instruments are gone");
        assertThrows(IllegalStateException.class, () -> telemetry.instrument(WorkerGraph.builder()));
    }

    @Test
    void aGraphInstrumentedBeforeCloseRecordsNothingAfterIt() {
        BreakerTelemetry telemetry = BreakerTelemetry.install(sdk);
        WorkerGraph graph = telemetry.instrument(WorkerGraph.builder().worker(WorkerSpec.builder("w").build()));
        telemetry.close();
        graph.start();
        assertTrue(graph.shutdown().clean());
        assertTrue(spans.getFinishedSpanItems().isEmpty(), "no span after close: " + spans.getFinishedSpanItems());
        Collection<MetricData> m = reader.collectAllMetrics();
        assertTrue(Otel.metric(m, "breaker.worker.start.duration").isEmpty());
        assertTrue(Otel.metric(m, "breaker.shutdown.duration").isEmpty());
    }

    @Test
    void restartsAndWorkersByStateAreObservedWhileTheGraphRunsAndForgottenAfter() throws Exception {
        CountDownLatch secondRun = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        try (BreakerTelemetry telemetry = BreakerTelemetry.install(sdk)) {
            WorkerGraph graph = telemetry.instrument(WorkerGraph.builder()
                    .worker(WorkerSpec.builder("db").build())
                    .worker(WorkerSpec.builder("poller").dependsOn("db")
                            .onError(Policy.RESTART).backoff(Duration.ofMillis(1), Duration.ofMillis(1))
                            .routine(stop -> {
                                if (runs.incrementAndGet() == 1) {
                                    throw new IllegalStateException("first run fails");
                                }
                                secondRun.countDown();
                                stop.await();
                            }).build()));
            Collection<MetricData> before = reader.collectAllMetrics();
            assertEquals(0, longValue(before, "breaker.workers", Attributes.of(STATE, "running")));
            assertEquals(3, longValue(before, "breaker.workers", Attributes.of(STATE, "new")), "db, poller, (jobs)");
            graph.start();
            assertTrue(secondRun.await(10, TimeUnit.SECONDS), "the routine was not restarted");
            Collection<MetricData> running = reader.collectAllMetrics();
            assertEquals(1, longValue(running, "breaker.worker.restarts", Attributes.of(WORKER, "poller")));
            assertEquals(0, longValue(running, "breaker.worker.restarts", Attributes.of(WORKER, "db")));
            assertEquals(3, longValue(running, "breaker.workers", Attributes.of(STATE, "running")));
            assertEquals(0, longValue(running, "breaker.workers", Attributes.of(STATE, "new")));

            ShutdownReport report = graph.shutdown();
            assertTrue(report.clean(), report.toString());
            Collection<MetricData> after = reader.collectAllMetrics();
            for (String s : List.of("new", "starting", "running", "stopping", "stopped", "failed")) {
                assertEquals(0, longValue(after, "breaker.workers", Attributes.of(STATE, s)),
                        "a terminated graph is forgotten: " + s);
            }
        }
    }

    @Test
    void anAbortIsAStopWithReasonAbortedAndItsCause() {
        try (BreakerTelemetry telemetry = BreakerTelemetry.install(sdk)) {
            WorkerGraph graph = telemetry.instrument(WorkerGraph.builder().worker(WorkerSpec.builder("w").build()));
            graph.start();
            graph.abort(new IllegalStateException("lost the database"));
            ShutdownReport report = graph.terminated().toCompletableFuture().join();
            assertFalse(report.clean());
            io.opentelemetry.sdk.trace.data.SpanData stop = Otel.one(spans.getFinishedSpanItems(), "breaker stop");
            assertEquals("aborted", stop.getAttributes().get(AttributeKey.stringKey("breaker.stop.reason")));
            assertTrue(stop.getAttributes().get(AttributeKey.stringKey("breaker.stop.cause")).contains("lost the database"));
            assertEquals(io.opentelemetry.api.trace.StatusCode.ERROR, stop.getStatus().getStatusCode());
            assertEquals("stopped", Otel.worker(spans.getFinishedSpanItems(), "breaker worker stop", "w")
                    .getAttributes().get(AttributeKey.stringKey("breaker.worker.outcome")));
            assertEquals(1, Otel.histogram(reader.collectAllMetrics(), "breaker.shutdown.duration",
                    Attributes.of(AttributeKey.stringKey("breaker.stop.reason"), "aborted")).getCount());
        }
    }

    @Test
    void withoutAnSdkNothingIsFlushedAndTheGraphIsUndisturbed() {
        Logger logger = Logger.getLogger("dev.breaker.opentelemetry");
        List<LogRecord> records = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                synchronized (records) {
                    records.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Level level = logger.getLevel();
        logger.setLevel(Level.ALL);
        logger.addHandler(handler);
        try (BreakerTelemetry telemetry = BreakerTelemetry.install(OpenTelemetry.noop())) {
            WorkerGraph graph = telemetry.instrument(WorkerGraph.builder().worker(WorkerSpec.builder("w").build()));
            graph.start();
            assertTrue(graph.shutdown().clean());
        } finally {
            logger.removeHandler(handler);
            logger.setLevel(level);
        }
        synchronized (records) {
            assertEquals(1, records.stream().filter(r -> r.getMessage().startsWith("BRKR041: ")).count(), records.toString());
            assertFalse(records.stream().anyMatch(r -> r.getLevel().intValue() >= Level.WARNING.intValue()), records.toString());
        }
    }
}
