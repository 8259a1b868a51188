package dev.breaker.opentelemetry;

import dev.breaker.worker.ShutdownReport;
import dev.breaker.worker.WorkerEvent;
import dev.breaker.worker.WorkerGraph;
import dev.breaker.worker.WorkerListener;
import dev.breaker.worker.WorkerStartException;
import dev.breaker.worker.WorkerState;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The telemetry of one worker graph: its {@link WorkerListener} makes the start spans and
 * records the start durations as they happen; at the graph's termination
 * ({@link WorkerListener#onTerminated}, before {@link WorkerGraph#terminated()} completes) the
 * stop spans, the stop and shutdown metrics are made from the {@link ShutdownReport}, and the
 * owner flushes.
 *
 * <p>Spans: {@code breaker start} from the first worker's start to the last one running (or, for
 * a start that failed or was cancelled, to the end of its rollback, with an error status), with
 * a child {@code breaker worker start} per worker; {@code breaker stop} from the shutdown's
 * request to its report, with a child {@code breaker worker stop} per worker placed on the
 * report's timeline. All times come from one monotonic clock anchored to the wall clock once,
 * so a child never ends after its parent by a clock step.
 *
 * <p>Threading: the graph calls the listener one transition at a time, and
 * {@code onTerminated} after the last one; both paths hold {@code this} anyway, because
 * a start body given up on may end on its own thread later. Nothing here throws into the graph:
 * every failure is logged ({@code BRKR042}) and dropped.
 */
final class GraphTelemetry implements WorkerListener {
    private final BreakerTelemetry owner;
    private final Instruments in;
    private final long anchorEpochNanos;
    private final long anchorNanoTime;

    private WorkerGraph graph;            // guarded by this; set once, before the graph starts
    private int workers;                  // guarded by this
    private int running;                  // guarded by this: starts that ended RUNNING
    private Span start;                   // guarded by this: the graph's start span, until it ended
    private SpanContext startContext;     // guarded by this: for the rollback's link
    private boolean startEnded;           // guarded by this
    private final Map<String, Span> workerStarts = new HashMap<>(); // guarded by this
    private volatile long stopBeganEpochNanos = -1;

    GraphTelemetry(BreakerTelemetry owner, Instruments in) {
        this.owner = owner;
        this.in = in;
        Instant now = Instant.now();
        this.anchorNanoTime = System.nanoTime();
        this.anchorEpochNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** Called once the graph is built, before it starts. */
    synchronized void attach(WorkerGraph g) {
        graph = g;
        workers = g.workers().size();
        g.stopping().onBreak(() -> stopBeganEpochNanos = now());
    }

    private long now() {
        return anchorEpochNanos + (System.nanoTime() - anchorNanoTime);
    }

    @Override
    public synchronized void onTransition(WorkerEvent e) {
        if (owner.isClosed()) {
            return;
        }
        try {
            if (e.from() == WorkerState.NEW && e.to() == WorkerState.STARTING) {
                startBegins(e.worker());
            } else if (e.from() == WorkerState.STARTING) {
                startEnded(e);
            }
        } catch (Throwable t) {
            Messages.LOG.log(Level.WARNING, Messages.recordingFailed(e.toString()), t);
        }
    }

    private void startBegins(String worker) {
        long t = now();
        if (start == null && !startEnded) {
            start = in.tracer.spanBuilder("breaker start").setSpanKind(SpanKind.INTERNAL)
                    .setStartTimestamp(t, TimeUnit.NANOSECONDS)
                    .setAttribute(Instruments.WORKERS, (long) workers).startSpan();
            startContext = start.getSpanContext();
        }
        SpanBuilder b = in.tracer.spanBuilder("breaker worker start").setSpanKind(SpanKind.INTERNAL)
                .setStartTimestamp(t, TimeUnit.NANOSECONDS).setAttribute(Instruments.WORKER, worker);
        b.setParent(start == null ? Context.root() : Context.root().with(start));
        workerStarts.put(worker, b.startSpan());
    }

    private void startEnded(WorkerEvent e) {
        long t = now();
        boolean ok = e.to() == WorkerState.RUNNING;
        String outcome = ok ? "started" : "failed";
        in.startDuration.record(seconds(e.elapsed()),
                Attributes.of(Instruments.WORKER, e.worker(), Instruments.WORKER_OUTCOME, outcome));
        Span s = workerStarts.remove(e.worker());
        if (s != null) {
            s.setAttribute(Instruments.WORKER_OUTCOME, outcome);
            if (!ok) {
                s.setStatus(StatusCode.ERROR, "start failed");
                e.failure().ifPresent(s::recordException);
            }
            s.end(t, TimeUnit.NANOSECONDS);
        }
        if (ok && ++running == workers && start != null) {
            start.end(t, TimeUnit.NANOSECONDS);
            start = null;
            startEnded = true;
        }
    }

    /**
     * The graph has terminated: the start's leftovers, the stop's spans and metrics, then the
     * flush; before {@code terminated()} completes, so before anyone waiting for the graph goes on.
     */
    @Override
    public void onTerminated(ShutdownReport report) {
        if (owner.isClosed()) {
            return;
        }
        try {
            synchronized (this) {
                record(report);
            }
        } catch (Throwable t) {
            Messages.LOG.log(Level.WARNING, Messages.recordingFailed("a shutdown"), t);
        }
        owner.terminated(graphOrNull());
    }

    private synchronized WorkerGraph graphOrNull() {
        return graph;
    }

    private void record(ShutdownReport report) {
        long end = now();
        long began = stopBeganEpochNanos >= 0 ? stopBeganEpochNanos : end - report.elapsed().toNanos();
        boolean rollback = false;
        for (Map.Entry<String, Span> open : workerStarts.entrySet()) { // cannot happen; never leave one open
            open.getValue().setStatus(StatusCode.ERROR, "start not ended when the graph terminated");
            open.getValue().end(Math.min(began, end), TimeUnit.NANOSECONDS);
        }
        workerStarts.clear();
        if (start != null) { // the start did not complete: it was rolled back by this shutdown
            rollback = true;
            start.setStatus(StatusCode.ERROR, report.cause().map(c -> "start failed: " + c)
                    .orElse("start cancelled by shutdown"));
            start.end(began + report.elapsed().toNanos(), TimeUnit.NANOSECONDS);
            start = null;
            startEnded = true;
        }

        String reason = reason(report);
        Attributes reasonAttributes = Attributes.of(Instruments.STOP_REASON, reason);
        in.shutdownDuration.record(seconds(report.elapsed()), reasonAttributes);

        SpanBuilder b = in.tracer.spanBuilder("breaker stop").setSpanKind(SpanKind.INTERNAL).setNoParent()
                .setStartTimestamp(began, TimeUnit.NANOSECONDS)
                .setAttribute(Instruments.STOP_REASON, reason)
                .setAttribute(Instruments.WORKERS, (long) report.stops().size());
        if (rollback && startContext != null) {
            b.addLink(startContext);
        }
        report.cause().ifPresent(c -> b.setAttribute(Instruments.STOP_CAUSE, c.toString()));
        Span stop = b.startSpan();
        Context parent = Context.root().with(stop);
        for (ShutdownReport.WorkerStop w : report.stops()) {
            workerStop(parent, began, w, report.failures().get(w.worker()));
        }
        if (!report.clean()) {
            stop.setStatus(StatusCode.ERROR, "not clean: " + report);
        }
        report.cause().ifPresent(stop::recordException);
        stop.end(began + report.elapsed().toNanos(), TimeUnit.NANOSECONDS);
    }

    private void workerStop(Context parent, long began, ShutdownReport.WorkerStop w, Throwable failure) {
        String outcome = Instruments.lower(w.outcome());
        boolean abandoned = w.outcome() == ShutdownReport.Outcome.TIMED_OUT;
        Attributes worker = Attributes.of(Instruments.WORKER, w.worker(), Instruments.WORKER_OUTCOME, outcome);
        boolean bodyRan = w.outcome() == ShutdownReport.Outcome.STOPPED
                || w.outcome() == ShutdownReport.Outcome.FAILED || abandoned;
        if (bodyRan) {
            in.stopDuration.record(seconds(w.took()), worker);
        }
        if (abandoned) {
            in.abandonedStops.add(1, Attributes.of(Instruments.WORKER, w.worker()));
        }
        long from = began + w.began().toNanos();
        Span s = in.tracer.spanBuilder("breaker worker stop").setSpanKind(SpanKind.INTERNAL).setParent(parent)
                .setStartTimestamp(from, TimeUnit.NANOSECONDS)
                .setAllAttributes(worker)
                .setAttribute(Instruments.WORKER_ABANDONED, abandoned)
                .startSpan();
        switch (w.outcome()) {
            case FAILED:
                s.setStatus(StatusCode.ERROR, "stop failed");
                break;
            case TIMED_OUT:
                s.setStatus(StatusCode.ERROR, "stop overran its timeout and was given up on");
                break;
            case NOT_STOPPED:
                s.setStatus(StatusCode.ERROR, "reached after the shutdown timeout: never stopped");
                break;
            default:
                break;
        }
        if (failure != null) {
            s.recordException(failure);
        }
        s.end(from + w.took().toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * The stop reason: {@code requested} ({@link WorkerGraph#shutdown()}), {@code start_failed}
     * (a start failed or was cancelled, and the graph rolled back) or {@code aborted} (an abort or
     * an escalating routine).
     */
    static String reason(ShutdownReport report) {
        if (report.cause().isEmpty()) {
            return "requested";
        }
        return report.cause().get() instanceof WorkerStartException ? "start_failed" : "aborted";
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
