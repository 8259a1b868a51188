package dev.breaker.opentelemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Finding spans and metric points in what an in-memory exporter or reader received. */
final class Otel {
    /** Strong references: the levels set below stay set. */
    private static final java.util.logging.Logger[] QUIET = {
            java.util.logging.Logger.getLogger("dev.breaker.worker"), java.util.logging.Logger.getLogger("dev.breaker.cdi")};

    private Otel() {
    }

    /** Keeps the graph's and the extension's INFO lines (and the failures provoked on purpose) out of the output. */
    static void quietLogs() {
        for (java.util.logging.Logger l : QUIET) {
            l.setLevel(Boolean.getBoolean("breaker.test.verbose") ? java.util.logging.Level.ALL : java.util.logging.Level.OFF);
        }
    }

    static List<SpanData> named(Collection<SpanData> spans, String name) {
        return spans.stream().filter(s -> s.getName().equals(name)).collect(Collectors.toList());
    }

    static SpanData one(Collection<SpanData> spans, String name) {
        List<SpanData> found = named(spans, name);
        if (found.size() != 1) {
            throw new AssertionError("expected one span '" + name + "', found " + found.size() + " in " + spans);
        }
        return found.get(0);
    }

    static SpanData worker(Collection<SpanData> spans, String name, String worker) {
        return named(spans, name).stream()
                .filter(s -> worker.equals(s.getAttributes().get(AttributeKey.stringKey("breaker.worker"))))
                .findFirst().orElseThrow(() -> new AssertionError("no span '" + name + "' of " + worker + " in " + spans));
    }

    /** The last data of metric {@code name} (a periodic reader exports cumulative data each time). */
    static Optional<MetricData> metric(Collection<MetricData> metrics, String name) {
        MetricData last = null;
        for (MetricData m : metrics) {
            if (m.getName().equals(name)) {
                last = m;
            }
        }
        return Optional.ofNullable(last);
    }

    static long longValue(Collection<MetricData> metrics, String name, Attributes attributes) {
        MetricData m = metric(metrics, name).orElseThrow(() -> new AssertionError("no metric " + name));
        Collection<LongPointData> points = m.getType() == io.opentelemetry.sdk.metrics.data.MetricDataType.LONG_SUM
                ? m.getLongSumData().getPoints() : m.getLongGaugeData().getPoints();
        return points.stream().filter(p -> p.getAttributes().equals(attributes)).mapToLong(LongPointData::getValue)
                .findFirst().orElseThrow(() -> new AssertionError("no point " + attributes + " in " + m));
    }

    static HistogramPointData histogram(Collection<MetricData> metrics, String name, Attributes attributes) {
        MetricData m = metric(metrics, name).orElseThrow(() -> new AssertionError("no metric " + name));
        return m.getHistogramData().getPoints().stream().filter(p -> p.getAttributes().equals(attributes))
                .findFirst().orElseThrow(() -> new AssertionError("no point " + attributes + " in " + m));
    }

    static List<Attributes> histogramAttributes(Collection<MetricData> metrics, String name) {
        return metric(metrics, name).map(m -> m.getHistogramData().getPoints().stream()
                .map(HistogramPointData::getAttributes).collect(Collectors.toList())).orElse(List.of());
    }

}
