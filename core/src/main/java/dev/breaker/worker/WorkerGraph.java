package dev.breaker.worker;

import dev.breaker.Breaker;
import dev.breaker.worker.internal.GraphEngine;
import dev.breaker.worker.internal.JobRunnerImpl;
import dev.breaker.worker.internal.Messages;
import dev.breaker.worker.internal.Pictures;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * Workers with named dependencies, started in dependency order and stopped in reverse, each as
 * early as the graph allows: independent workers start and stop in parallel, so both take the
 * graph's critical path, not the sum of its workers.
 *
 * <pre>{@code
 * WorkerGraph graph = WorkerGraph.builder()
 *         .worker(WorkerSpec.builder("db").onStart(ctx -> pool.open()).onStop(ctx -> pool.close()).build())
 *         .worker(WorkerSpec.builder("http").dependsOn("db")
 *                 .onStart(ctx -> server.start()).onStop(ctx -> server.drain(ctx.breaker())).build())
 *         .build();                        // InvalidGraphException lists every problem
 * graph.start();                           // db, then http; WorkerStartException after a rollback
 * graph.jobs().submit(() -> sendMails());  // drained before any worker stops
 * ShutdownReport report = graph.shutdown(); // jobs, then http, then db; at most 25 s
 * }</pre>
 *
 * <h2>Life cycle</h2>
 * <pre>
 *   NEW ──start()──► STARTING ──all started──► RUNNING
 *    │                  │                         │
 *    │        start failed, abort(),        shutdown(), abort(),
 *    │        shutdown() (rollback)         routine escalation
 *    │                  ▼                         ▼
 *    └─shutdown()/abort()──────────────────► STOPPING ──► TERMINATED
 * </pre>
 * {@link #start()} may be called once, on a NEW graph; on a graph that is already stopping or
 * terminated it throws {@link WorkerStartException}. {@link #stopping()} trips when STOPPING
 * begins; {@link #terminated()} completes on TERMINATED, when every worker has stopped (or
 * failed or overrun its timeout), every resource is closed and every thread of the graph has
 * ended.
 *
 * <h2>Shutdown</h2>
 * Each worker stops when every worker depending on it has; a stop is bounded by the worker's
 * stop timeout, counted from the moment its stop body begins, after which the worker is
 * reported {@linkplain ShutdownReport#timedOut() timed out}, its thread is interrupted and given
 * up on, and its dependencies stop anyway: a stop that never returns costs its own stop timeout
 * and nothing more, neither to {@code shutdown()} nor to any other worker. The whole shutdown is
 * bounded by {@link Builder#shutdownTimeout(Duration)} (25 s by default, inside Kubernetes'
 * 30 s grace period): workers reached after it are not stopped at all and are reported as timed
 * out. Stop failures are collected in the {@link ShutdownReport}, never thrown, and never keep
 * other workers from stopping.
 *
 * <h2>Threads</h2>
 * Starts and stops run on an executor of the graph, jobs on a second one, routines on a thread
 * each: virtual threads on JDKs that have them, daemon platform threads otherwise (bounded pools
 * for starts and stops and for jobs). A start or stop body that overran its timeout and is
 * given up on does not count against the pool, which starts another thread in its place, and a
 * body that finds no pooled thread within 200 ms gets a fresh thread of its own, so no body
 * ever waits for a thread behind abandoned ones, nor long behind slow ones; and since a stop's
 * clock starts when its body starts, waiting for a thread costs it nothing of its stop timeout. While a body
 * runs its thread is named {@code breaker-worker-start-<worker>} or
 * {@code breaker-worker-stop-<worker>}; all threads are named {@code breaker-worker-…}. When
 * {@link #terminated()} completes every thread of the graph has ended, except those given up
 * on: bodies that overran their timeout and ignored both their breaker and an interrupt. The
 * shutdown does not wait for them, and the report names them
 * ({@link ShutdownReport#abandonedThreads()}).
 *
 * <p>No {@link Throwable} thrown by user code (actions, routines, listeners, resources, jobs),
 * {@link Error}s such as {@link StackOverflowError} included, ends a thread of the graph before
 * it has done its bookkeeping: it is recorded as that worker's failure and the graph goes on.
 *
 * <h2>Durations</h2>
 * Every positive duration is accepted; durations beyond 36,500 days (about 100 years, the
 * library's one cap on a duration: start, stop and shutdown timeouts, restart windows,
 * back-offs) are treated as 36,500 days, so that no arithmetic on them can overflow.
 *
 * <h2>Thread safety</h2>
 * Every method is safe from any thread. {@link #start()} blocks its caller until the graph is
 * RUNNING or rolled back. {@link #shutdown()} is idempotent: every caller blocks until
 * TERMINATED and gets the same report; called during {@link #start()}, it trips every start
 * breaker at once and makes the start stop launching workers, wait for those starting (each at
 * most its stop timeout), and roll back. A worker must not call
 * {@code shutdown()} on its own graph (it would wait for itself): that throws
 * {@link IllegalStateException}; use {@link #abort(Throwable)} or {@link WorkerContext#abort}.
 * The {@link Builder} is not thread-safe.
 */
public final class WorkerGraph implements AutoCloseable {
    /** The default shutdown timeout: 25 s, which fits Kubernetes' default 30 s grace period. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(25);
    /** The worker name of {@link #jobs()}. */
    public static final String DEFAULT_JOBS = Messages.DEFAULT_JOBS;

    private final GraphEngine engine;

    private WorkerGraph(GraphEngine engine) {
        this.engine = engine;
    }

    /**
     * A builder for a new graph, with no worker and the default shutdown timeout.
     *
     * @return a new builder; it is not thread-safe
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts every worker, each once its dependencies are running, and returns when all are.
     *
     * @throws WorkerStartException  if a worker failed to start or shutdown began first; the
     *                               graph has then been rolled back and is TERMINATED
     * @throws IllegalStateException if start() was called before
     */
    public void start() {
        engine.start();
    }

    /**
     * Stops the graph (see the class comment) and returns its report; idempotent, every caller
     * gets the same report. Never throws for a worker's failure.
     *
     * @return the report of the shutdown: the workers that failed to stop or timed out, the
     *         threads given up on, and the cause if the graph was aborted; the same instance for
     *         every caller
     * @throws IllegalStateException if called from a start, stop, routine or listener of this graph
     */
    public ShutdownReport shutdown() {
        return engine.shutdown();
    }

    /** Same as {@link #shutdown()}. */
    @Override
    public void close() {
        shutdown();
    }

    /**
     * Asks the graph to shut down and returns at once. The first cause given (by abort or by an
     * escalating routine) is the report's {@link ShutdownReport#cause()}. Safe from a worker.
     *
     * @param cause why the graph shuts down; only the first cause is kept, and none once the
     *              graph has terminated
     * @throws NullPointerException if {@code cause} is null
     */
    public void abort(Throwable cause) {
        engine.abort(cause);
    }

    /**
     * A breaker that trips when shutdown begins; closing it does nothing.
     *
     * @return the graph's stopping breaker, the same one on every call; it trips with a
     *         {@link dev.breaker.BreakReason.Kind#SHUTDOWN} reason when the graph enters STOPPING
     */
    public Breaker stopping() {
        return engine.stopping();
    }

    /**
     * Completes with the report once the graph is TERMINATED (also after a failed start).
     *
     * @return a stage that completes normally with the same report {@link #shutdown()} returns;
     *         it never completes exceptionally
     */
    public CompletionStage<ShutdownReport> terminated() {
        return engine.terminated();
    }

    /**
     * A snapshot of one worker.
     *
     * @param name the worker's name, or a job runner's
     * @return the worker's state and history at the time of the call
     * @throws IllegalArgumentException if there is no such worker
     */
    public WorkerInfo info(String name) {
        return engine.info(name);
    }

    /**
     * Snapshots of every worker, job runners included, in declaration order ({@link #jobs()} last).
     *
     * @return a new list of snapshots taken at the time of the call, one per worker
     */
    public List<WorkerInfo> workers() {
        return engine.workers();
    }

    /**
     * The graph's default job runner, named {@value #DEFAULT_JOBS}: it depends on every
     * other worker, so it starts last and drains first.
     *
     * @return the default job runner, the same one on every call
     */
    public JobRunner jobs() {
        return engine.jobs();
    }

    /**
     * Binds {@code resource} to the graph: it is closed after every worker has stopped, in
     * reverse order of binding. Binding once that has happened closes it at once and throws
     * {@link IllegalStateException}.
     *
     * @param resource closed by the graph when it terminates; a failure to close it is reported
     *                 under {@code "(graph)"} in the {@link ShutdownReport}
     * @throws NullPointerException  if {@code resource} is null
     * @throws IllegalStateException if the graph's resources have been closed already
     */
    public void bind(AutoCloseable resource) {
        engine.bind(resource);
    }

    /**
     * The graph as a <a href="https://graphviz.org/doc/info/lang.html">Graphviz DOT</a> digraph:
     * one box per worker and an edge from each worker to each worker it depends on (render it
     * with {@code dot -Tsvg}). The default job runner ({@link #jobs()}), which depends on every
     * worker, is left out.
     *
     * @return the DOT source of the graph
     */
    public String toDot() {
        return Pictures.dot(engine);
    }

    /**
     * The same graph as a <a href="https://mermaid.js.org/syntax/flowchart.html">Mermaid
     * flowchart</a>, which GitHub and most Markdown viewers draw: nodes {@code w0}, {@code w1}, …
     * labelled with the worker names, an arrow from each worker to each worker it depends on.
     *
     * @return the Mermaid source of the flowchart
     */
    public String toMermaid() {
        return Pictures.mermaid(engine);
    }

    @Override
    public String toString() {
        return "WorkerGraph" + engine.workers();
    }

    /** Collects workers, job runners and settings; {@link #build()} validates them. Not thread-safe. */
    public static final class Builder {
        private final List<WorkerSpec> specs = new ArrayList<>();
        private final List<WorkerListener> listeners = new ArrayList<>();
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
        private boolean built;

        private Builder() {
        }

        /**
         * Adds a worker.
         *
         * @param spec the worker; its name must be unique in the graph ({@link #build()} checks)
         * @return this builder
         * @throws NullPointerException if {@code spec} is null
         */
        public Builder worker(WorkerSpec spec) {
            specs.add(Objects.requireNonNull(spec, "spec"));
            return this;
        }

        /**
         * The bound of a whole shutdown (positive; beyond 36,500 days, 36,500 days); default 25 s.
         *
         * @param total how long {@link WorkerGraph#shutdown()} may take in all; workers not
         *              reached by then are not stopped and are reported timed out
         * @return this builder
         * @throws NullPointerException     if {@code total} is null
         * @throws IllegalArgumentException if {@code total} is zero or negative
         */
        public Builder shutdownTimeout(Duration total) {
            Objects.requireNonNull(total, "shutdownTimeout");
            if (total.isNegative() || total.isZero()) {
                throw new IllegalArgumentException("shutdownTimeout must be positive, got " + total);
            }
            shutdownTimeout = total;
            return this;
        }

        /**
         * Adds a listener, told of every transition of every worker (see {@link WorkerListener}).
         *
         * @param listener the listener; listeners are called in the order they were added
         * @return this builder
         * @throws NullPointerException if {@code listener} is null
         */
        public Builder listener(WorkerListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Adds a job runner: a worker named {@code name} that starts after the workers it depends
         * on and, when stopping, rejects new jobs and waits for those in flight (up to the default
         * stop timeout) before they stop. Jobs may be submitted at once; they run once it started.
         *
         * @param name      the runner's worker name, unique in the graph
         * @param dependsOn the workers its jobs need; they stop only after the runner has drained
         * @return the runner, to submit jobs to; it belongs to the graph this builder builds
         */
        public JobRunner jobRunner(String name, String... dependsOn) {
            JobRunnerImpl runner = new JobRunnerImpl(name, dependsOn);
            specs.add(runner.spec());
            return runner;
        }

        /**
         * Validates the workers and makes the graph, in state NEW (nothing runs until
         * {@link WorkerGraph#start()}).
         *
         * @return the new graph, with the default job runner {@link WorkerGraph#jobs()} added
         * @throws InvalidGraphException listing every problem: duplicate names, unknown
         *                               dependencies, cycles
         * @throws IllegalStateException if called twice
         */
        public WorkerGraph build() {
            if (built) {
                throw new IllegalStateException("build() was already called on this builder");
            }
            built = true;
            return new WorkerGraph(GraphEngine.create(specs, listeners, shutdownTimeout));
        }
    }
}
