package dev.breaker.opentelemetry;

import dev.breaker.internal.TripObservers;
import dev.breaker.worker.ShutdownReport;
import dev.breaker.worker.WorkerGraph;
import dev.breaker.worker.WorkerSpec;
import dev.breaker.worker.WorkerStartException;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricExporter;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static dev.breaker.opentelemetry.Otel.histogram;
import static dev.breaker.opentelemetry.Otel.histogramAttributes;
import static dev.breaker.opentelemetry.Otel.longValue;
import static dev.breaker.opentelemetry.Otel.one;
import static dev.breaker.opentelemetry.Otel.worker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The "done when": a real {@link OpenTelemetrySdk} whose exporters only export when
 * flushed (a batch span processor and a periodic metric reader, both with a one-hour schedule),
 * so that whatever the in-memory exporters hold right after {@code shutdown()} (or after a
 * {@code start()} that rolled back), before the SDK is closed, got there through the module's
 * own flush at the end of the shutdown.
 */
class ShutdownFlushTest {
    private static final AttributeKey<String> WORKER = AttributeKey.stringKey("breaker.worker");
    private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("breaker.worker.outcome");

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final InMemoryMetricExporter metrics = InMemoryMetricExporter.create();
    private OpenTelemetrySdk sdk;
    private BreakerTelemetry telemetry;
    /** Released when the test ends: the stop that hangs waits for it. */
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void sdk() {
        Otel.quietLogs();
        sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(BatchSpanProcessor.builder(spans).setScheduleDelay(Duration.ofHours(1)).build())
                        .build())
                .setMeterProvider(SdkMeterProvider.builder()
                        .registerMetricReader(PeriodicMetricReader.builder(metrics).setInterval(Duration.ofHours(1)).build())
                        .build())
                .build();
        telemetry = BreakerTelemetry.install(sdk);
    }

    @AfterEach
    void close() {
        release.countDown();
        telemetry.close();
        sdk.close();
        assertEquals(0, TripObservers.count(), "the trip observer was left registered");
    }

    @Test
    void theShutdownsSpansAndMetricsReachTheExporterBeforeTheSdkIsClosed() {
        WorkerGraph graph = telemetry.instrument(WorkerGraph.builder()
                .worker(WorkerSpec.builder("db").build())
                .worker(WorkerSpec.builder("cache").dependsOn("db")
                        .onStop(ctx -> {
                            throw new IllegalStateException("cache stop failed");
                        }).build())
                .worker(WorkerSpec.builder("hung").dependsOn("db").stopTimeout(Duration.ofMillis(300))
                        .onStop(ctx -> release.await()).build()));
        graph.start();
        assertTrue(spans.getFinishedSpanItems().isEmpty(), "nothing is exported before a flush");
        assertTrue(metrics.getFinishedMetricItems().isEmpty(), "nothing is exported before a flush");

        ShutdownReport report = graph.shutdown();
        // no flush of our own, and the SDK is still open: what is here, the module flushed
        List<SpanData> s = spans.getFinishedSpanItems();
        List<MetricData> m = metrics.getFinishedMetricItems();
        assertEquals(Set.of("hung"), report.timedOut());
        assertEquals(Set.of("cache"), report.failures().keySet());

        // the start: one span for the graph, a child per worker
        SpanData start = one(s, "breaker start");
        assertEquals(StatusCode.UNSET, start.getStatus().getStatusCode());
        for (String w : List.of("db", "cache", "hung", WorkerGraph.DEFAULT_JOBS)) {
            SpanData ws = worker(s, "breaker worker start", w);
            assertEquals(start.getSpanId(), ws.getParentSpanId(), w);
            assertEquals(start.getTraceId(), ws.getTraceId(), w);
            assertEquals("started", ws.getAttributes().get(OUTCOME));
            assertTrue(ws.getEndEpochNanos() <= start.getEndEpochNanos(), "a start ends within the graph's start");
            assertEquals(1, histogram(m, "breaker.worker.start.duration",
                    Attributes.of(WORKER, w, OUTCOME, "started")).getCount());
        }
        assertTrue(worker(s, "breaker worker start", "cache").getStartEpochNanos()
                >= worker(s, "breaker worker start", "db").getEndEpochNanos(), "cache started after db");

        // the stop: one span for the graph with the stop reason, a child per worker
        SpanData stop = one(s, "breaker stop");
        assertEquals("requested", stop.getAttributes().get(AttributeKey.stringKey("breaker.stop.reason")));
        assertEquals(StatusCode.ERROR, stop.getStatus().getStatusCode(), "not clean");
        SpanData db = worker(s, "breaker worker stop", "db");
        SpanData cache = worker(s, "breaker worker stop", "cache");
        SpanData hung = worker(s, "breaker worker stop", "hung");
        SpanData jobs = worker(s, "breaker worker stop", WorkerGraph.DEFAULT_JOBS);
        for (SpanData w : List.of(db, cache, hung, jobs)) {
            assertEquals(stop.getSpanId(), w.getParentSpanId());
            assertTrue(w.getStartEpochNanos() >= stop.getStartEpochNanos() && w.getEndEpochNanos() <= stop.getEndEpochNanos(),
                    "within the graph's stop: " + w);
        }
        assertEquals("stopped", db.getAttributes().get(OUTCOME));
        assertEquals(StatusCode.UNSET, db.getStatus().getStatusCode());
        assertEquals("failed", cache.getAttributes().get(OUTCOME));
        assertEquals(StatusCode.ERROR, cache.getStatus().getStatusCode());
        assertTrue(cache.getEvents().stream().anyMatch(e -> e.getName().equals("exception")
                && String.valueOf(e.getAttributes().get(AttributeKey.stringKey("exception.message"))).contains("cache stop failed")));
        assertEquals("timed_out", hung.getAttributes().get(OUTCOME));
        assertEquals(Boolean.TRUE, hung.getAttributes().get(AttributeKey.booleanKey("breaker.worker.abandoned")));
        assertEquals(StatusCode.ERROR, hung.getStatus().getStatusCode());
        assertTrue(hung.getEndEpochNanos() - hung.getStartEpochNanos() >= TimeUnit.MILLISECONDS.toNanos(300),
                "the hung stop lasted its stop timeout");
        assertTrue(db.getStartEpochNanos() >= hung.getEndEpochNanos() && db.getStartEpochNanos() >= cache.getEndEpochNanos(),
                "db stopped after its dependents");
        assertTrue(cache.getStartEpochNanos() >= jobs.getEndEpochNanos(), "the job runner drained first");

        // the metrics of the stop
        HistogramPointData shutdown = histogram(m, "breaker.shutdown.duration",
                Attributes.of(AttributeKey.stringKey("breaker.stop.reason"), "requested"));
        assertEquals(1, shutdown.getCount());
        assertEquals(report.elapsed().toNanos() / 1e9, shutdown.getSum(), 1e-6);
        assertEquals(Set.of(Attributes.of(WORKER, "db", OUTCOME, "stopped"),
                        Attributes.of(WORKER, "cache", OUTCOME, "failed"),
                        Attributes.of(WORKER, "hung", OUTCOME, "timed_out"),
                        Attributes.of(WORKER, WorkerGraph.DEFAULT_JOBS, OUTCOME, "stopped")),
                Set.copyOf(histogramAttributes(m, "breaker.worker.stop.duration")));
        assertTrue(histogram(m, "breaker.worker.stop.duration", Attributes.of(WORKER, "hung", OUTCOME, "timed_out"))
                .getSum() >= 0.3);
        assertEquals(1, longValue(m, "breaker.worker.stops.abandoned", Attributes.of(WORKER, "hung")));
        assertFalse(Otel.metric(m, "breaker.worker.stops.abandoned").orElseThrow().getLongSumData().getPoints()
                .stream().anyMatch(p -> !p.getAttributes().equals(Attributes.of(WORKER, "hung"))), "only hung's");
        // the gauge read at the final flush: every worker in its final state
        AttributeKey<String> state = AttributeKey.stringKey("breaker.worker.state");
        assertEquals(2, longValue(m, "breaker.workers", Attributes.of(state, "stopped")));
        assertEquals(2, longValue(m, "breaker.workers", Attributes.of(state, "failed")));
        assertEquals(0, longValue(m, "breaker.workers", Attributes.of(state, "running")));
        assertTrue(longValue(m, "breaker.trips", Attributes.of(AttributeKey.stringKey("breaker.trip.kind"), "shutdown")) >= 1,
                "the graph's stopping breaker tripped");
    }

    @Test
    void aFailedStartIsFlushedBeforeStartThrows() {
        WorkerGraph graph = telemetry.instrument(WorkerGraph.builder()
                .worker(WorkerSpec.builder("a").build())
                .worker(WorkerSpec.builder("b").dependsOn("a").onStart(ctx -> {
                    throw new IllegalStateException("b cannot start");
                }).build()));
        WorkerStartException thrown = assertThrows(WorkerStartException.class, graph::start);
        assertEquals("b", thrown.worker());

        List<SpanData> s = spans.getFinishedSpanItems();
        List<MetricData> m = metrics.getFinishedMetricItems();
        SpanData start = one(s, "breaker start");
        assertEquals(StatusCode.ERROR, start.getStatus().getStatusCode());
        assertTrue(start.getStatus().getDescription().contains("b cannot start"), start.getStatus().getDescription());
        SpanData b = worker(s, "breaker worker start", "b");
        assertEquals(StatusCode.ERROR, b.getStatus().getStatusCode());
        assertEquals("failed", b.getAttributes().get(OUTCOME));
        assertEquals(start.getSpanId(), b.getParentSpanId());
        assertEquals("started", worker(s, "breaker worker start", "a").getAttributes().get(OUTCOME));

        SpanData stop = one(s, "breaker stop");
        assertEquals("start_failed", stop.getAttributes().get(AttributeKey.stringKey("breaker.stop.reason")));
        assertEquals(List.of(start.getSpanContext()), stop.getLinks().stream().map(l -> l.getSpanContext())
                .collect(Collectors.toList()), "the rollback links to the start it rolled back");
        assertEquals("stopped", worker(s, "breaker worker stop", "a").getAttributes().get(OUTCOME));
        assertEquals("not_running", worker(s, "breaker worker stop", "b").getAttributes().get(OUTCOME));
        assertTrue(start.getEndEpochNanos() >= stop.getEndEpochNanos(), "the failed start ends with its rollback");

        assertEquals(1, histogram(m, "breaker.worker.start.duration", Attributes.of(WORKER, "b", OUTCOME, "failed")).getCount());
        assertEquals(1, histogram(m, "breaker.shutdown.duration",
                Attributes.of(AttributeKey.stringKey("breaker.stop.reason"), "start_failed")).getCount());
    }
}
