package dev.breaker.opentelemetry;

import dev.breaker.internal.TripObservers;
import dev.breaker.worker.WorkerGraph;
import dev.breaker.worker.WorkerInfo;
import dev.breaker.worker.WorkerState;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.ObservableLongCounter;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import io.opentelemetry.api.metrics.ObservableLongUpDownCounter;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Breaker trips, worker graphs' starts, stops and restarts, and each shutdown, as OpenTelemetry
 * metrics and spans; flushed at the end of every shutdown.
 *
 * <pre>{@code
 * try (BreakerTelemetry telemetry = BreakerTelemetry.install(openTelemetry)) {
 *     WorkerGraph graph = telemetry.instrument(WorkerGraph.builder()
 *             .worker(db).worker(http));   // the builder, not built yet
 *     graph.start();                       // span "breaker start", one child per worker
 *     ...
 *     graph.shutdown();                    // span "breaker stop", metrics, then forceFlush
 * }                                        // before the application closes its SDK
 * }</pre>
 *
 * <p><b>In CDI</b> this class is not called by the application: with this module on the class
 * path and an {@code OpenTelemetry} bean in the application (MicroProfile Telemetry and Quarkus
 * expose one), the worker graph of the CDI extension is instrumented and trips are counted by
 * the module's own bean, from the workers' start to the container's end.
 *
 * <h2>Metrics</h2> (instrumentation scope {@value #INSTRUMENTATION_SCOPE})
 * <table>
 * <caption>The instruments</caption>
 * <tr><th>name</th><th>instrument, unit</th><th>attributes</th></tr>
 * <tr><td>{@code breaker.trips}</td><td>counter, {@code {trip}}</td><td>{@code breaker.trip.kind}
 *     ({@code timeout}, {@code closed}, {@code shutdown}, {@code child}, …): every breaker of
 *     the application, whichever graph or request it belongs to</td></tr>
 * <tr><td>{@code breaker.worker.start.duration}</td><td>histogram, {@code s}</td>
 *     <td>{@code breaker.worker}, {@code breaker.worker.outcome} ({@code started}, {@code failed})</td></tr>
 * <tr><td>{@code breaker.worker.stop.duration}</td><td>histogram, {@code s}</td>
 *     <td>{@code breaker.worker}, {@code breaker.worker.outcome} ({@code stopped}, {@code failed},
 *     {@code timed_out}); workers whose stop never ran are not recorded</td></tr>
 * <tr><td>{@code breaker.worker.stops.abandoned}</td><td>counter, {@code {stop}}</td>
 *     <td>{@code breaker.worker}: stops that overran their stop timeout and were given up on</td></tr>
 * <tr><td>{@code breaker.worker.restarts}</td><td>asynchronous counter, {@code {restart}}</td>
 *     <td>{@code breaker.worker}: restarts of its supervised routine</td></tr>
 * <tr><td>{@code breaker.workers}</td><td>asynchronous up-down counter, {@code {worker}}</td>
 *     <td>{@code breaker.worker.state} ({@code new}, {@code starting}, {@code running},
 *     {@code stopping}, {@code stopped}, {@code failed}); an up-down counter rather than a gauge,
 *     as OpenTelemetry's conventions have it for counts by state, which add up to the number of
 *     workers</td></tr>
 * <tr><td>{@code breaker.shutdown.duration}</td><td>histogram, {@code s}</td>
 *     <td>{@code breaker.stop.reason} ({@code requested}, {@code aborted}, {@code start_failed})</td></tr>
 * </table>
 * The job runners are workers here (the default one is named {@value WorkerGraph#DEFAULT_JOBS}).
 *
 * <h2>Spans</h2>
 * {@code breaker start}, from the first worker's start to the last one running, with a child
 * {@code breaker worker start} per worker ({@code breaker.worker}, {@code breaker.worker.outcome};
 * error status and the exception for a failed start); a start that failed or was cancelled ends
 * with the rollback, with an error status. {@code breaker stop}, from the shutdown's request to
 * its report ({@code breaker.stop.reason}, {@code breaker.stop.cause}; error status unless the
 * shutdown was {@linkplain dev.breaker.worker.ShutdownReport#clean() clean}), with a child
 * {@code breaker worker stop} per worker placed as in the report's timeline
 * ({@code breaker.worker}, {@code breaker.worker.outcome} as in
 * {@link dev.breaker.worker.ShutdownReport.Outcome}, {@code breaker.worker.abandoned}; error
 * status for a stop that failed, was given up on, or never ran). A rollback's stop span links
 * to the start span. The spans of a stop are made when the shutdown has ended, from its report,
 * with the times it measured.
 *
 * <h2>The last data of a shutdown</h2>
 * When a graph has terminated, its stop spans and metrics are recorded and then flushed, before
 * anyone waiting for the graph goes on ({@link dev.breaker.worker.WorkerListener#onTerminated}):
 * before {@link WorkerGraph#shutdown()} returns to any caller, before
 * {@link WorkerGraph#terminated()} completes, before a {@code start()} that rolled back throws.
 * The application can close its SDK right after. The OpenTelemetry API has no flush: the flush is the SDK's
 * {@code forceFlush()}, reached when the instance is an {@code OpenTelemetrySdk} (or has SDK
 * providers) that this module's class loader can see, bounded by {@link #FLUSH_TIMEOUT}
 * ({@code BRKR040} if it does not finish in time). Otherwise, as with a server that keeps its
 * SDK to itself, the data goes out on the runtime's own schedule ({@code BRKR041} at DEBUG).
 *
 * <h2>Cost</h2>
 * Nothing for an application without this module. With it, each breaker trip (a live request
 * breaker's close included) adds one counter increment, without allocation; the graph's
 * telemetry costs a few spans and records per worker per start or stop.
 *
 * <h2>Life cycle and thread safety</h2>
 * {@link #install} begins counting trips and registers the asynchronous instruments;
 * {@link #close()} undoes both, and every graph instrumented by this instance records nothing
 * from then on (its listener stays in the graph, muted). Every method is safe from any thread;
 * {@link #close()} is idempotent. Instances are independent: two installs count each trip twice,
 * once in each one's {@code OpenTelemetry}.
 */
public final class BreakerTelemetry implements AutoCloseable {
    /** The instrumentation scope of the tracer and meter: {@code dev.breaker}. */
    public static final String INSTRUMENTATION_SCOPE = Instruments.SCOPE;
    /** How long the flush at the end of a shutdown may take at most: 5 s. */
    public static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(5);

    private final OpenTelemetry openTelemetry;
    private final Instruments instruments;
    private final Set<WorkerGraph> graphs = ConcurrentHashMap.newKeySet();
    private final Runnable removeTripObserver;
    private final ObservableLongUpDownCounter workersByState;
    private final ObservableLongCounter restarts;
    private volatile boolean closed;

    private BreakerTelemetry(OpenTelemetry openTelemetry) {
        this.openTelemetry = openTelemetry;
        this.instruments = new Instruments(openTelemetry);
        this.workersByState = instruments.meter.upDownCounterBuilder("breaker.workers").setUnit("{worker}")
                .setDescription("Workers of the running worker graphs, by state")
                .buildWithCallback(this::observeStates);
        this.restarts = instruments.meter.counterBuilder("breaker.worker.restarts").setUnit("{restart}")
                .setDescription("Restarts of workers' supervised routines")
                .buildWithCallback(this::observeRestarts);
        this.removeTripObserver = TripObservers.add(instruments::tripped);
    }

    /**
     * Begins to count every breaker trip into {@code openTelemetry}'s meters and makes the
     * instruments that {@link #instrument} uses.
     *
     * @param openTelemetry the application's OpenTelemetry: the one MicroProfile Telemetry or
     *                      Quarkus injects, or the application's own SDK
     * @return the installation; {@link #close()} undoes it
     * @throws NullPointerException if {@code openTelemetry} is null
     */
    public static BreakerTelemetry install(OpenTelemetry openTelemetry) {
        return new BreakerTelemetry(Objects.requireNonNull(openTelemetry, "openTelemetry"));
    }

    /**
     * Builds a worker graph whose starts, stops and shutdown are recorded: adds this
     * installation's listener to {@code builder}, builds it, and follows the graph until it
     * terminates (then flushes, see the class comment). Call it instead of
     * {@link WorkerGraph.Builder#build()}.
     *
     * @param builder the graph's builder, not built yet; its listeners added before are called
     *                before this one
     * @return the graph, in state NEW, as {@link WorkerGraph.Builder#build()} returns it
     * @throws NullPointerException                         if {@code builder} is null
     * @throws dev.breaker.worker.InvalidGraphException     as {@link WorkerGraph.Builder#build()}
     * @throws IllegalStateException                        if the builder was built already, or
     *                                                      this installation is closed
     */
    public WorkerGraph instrument(WorkerGraph.Builder builder) {
        Objects.requireNonNull(builder, "builder");
        GraphTelemetry telemetry = listener();
        WorkerGraph graph = builder.listener(telemetry).build();
        attach(telemetry, graph);
        return graph;
    }

    /** The first half of {@link #instrument}, for a graph built by someone else (CDI): a listener to add. */
    GraphTelemetry listener() {
        if (closed) {
            throw new IllegalStateException("BreakerTelemetry is closed");
        }
        return new GraphTelemetry(this, instruments);
    }

    /** The second half: the graph built with {@code telemetry} among its listeners, not started yet. */
    void attach(GraphTelemetry telemetry, WorkerGraph graph) {
        graphs.add(graph);
        telemetry.attach(graph);
    }

    /**
     * Stops counting trips, removes the asynchronous instruments' callbacks and mutes the
     * listeners of the graphs instrumented so far. Idempotent; does not flush (the shutdowns do).
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        removeTripObserver.run();
        graphs.clear();
        try {
            workersByState.close();
            restarts.close();
        } catch (RuntimeException e) {
            Messages.LOG.log(Level.WARNING, Messages.recordingFailed("closing the instruments"), e);
        }
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * A graph has terminated and its stop is recorded: flushes (the gauges read it once more, in
     * its final states), then forgets it.
     */
    void terminated(WorkerGraph graph) {
        try {
            Flush.flush(openTelemetry, FLUSH_TIMEOUT);
        } finally {
            if (graph != null) {
                graphs.remove(graph);
            }
        }
    }

    private void observeStates(ObservableLongMeasurement m) {
        Map<WorkerState, Long> counts = new EnumMap<>(WorkerState.class);
        for (WorkerState s : WorkerState.values()) {
            counts.put(s, 0L);
        }
        for (WorkerGraph g : graphs) {
            for (WorkerInfo w : g.workers()) {
                counts.merge(w.state(), 1L, Long::sum);
            }
        }
        counts.forEach((s, n) -> m.record(n, Instruments.state(s)));
    }

    private void observeRestarts(ObservableLongMeasurement m) {
        Map<String, Long> byWorker = new LinkedHashMap<>();
        for (WorkerGraph g : graphs) {
            for (WorkerInfo w : g.workers()) {
                byWorker.merge(w.name(), (long) w.restarts(), Long::sum);
            }
        }
        byWorker.forEach((w, n) -> m.record(n, Attributes.of(Instruments.WORKER, w)));
    }
}
