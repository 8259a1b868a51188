package dev.breaker.worker.internal;

import dev.breaker.Breaker;
import dev.breaker.internal.Jfr;
import dev.breaker.worker.JobRunner;
import dev.breaker.worker.ShutdownReport;
import dev.breaker.worker.WorkerContext;
import dev.breaker.worker.WorkerEvent;
import dev.breaker.worker.WorkerInfo;
import dev.breaker.worker.WorkerListener;
import dev.breaker.worker.WorkerSpec;
import dev.breaker.worker.WorkerStartException;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The life cycle of one worker graph behind {@link dev.breaker.worker.WorkerGraph}.
 *
 * <p><b>Threading.</b> The graph's phase, the shutdown cause and the stop request are guarded by
 * {@code lock}. Exactly one thread at a time <em>drives</em> the graph: the caller of
 * {@link #start()} during the start and, if it fails, the rollback; otherwise the first caller
 * of {@link #shutdown()} or the shutdown thread of {@link #abort}. The driving thread alone runs
 * the phases; within a phase, worker states change, the listeners are called and
 * {@link #failures} and {@link #timedOut} are filled under the phase's lock, by the driving
 * thread or by a body's thread as the body ends (see {@link Phase}). The hand-over happens
 * under {@code lock}, and the report is published through {@code terminated}.
 */
public final class GraphEngine {
    static final System.Logger LOG = System.getLogger("dev.breaker.worker");

    private enum State { NEW, STARTING, RUNNING, STOPPING, TERMINATED }

    final List<Node> nodes;
    private final Map<String, Node> byName = new LinkedHashMap<>();
    private final List<WorkerListener> listeners;
    private final Duration shutdownTimeout;
    /** The clock of every time reading and timeout of this graph (see {@link Clock}). */
    final Clock clock;
    private final WorkerThreads threads;
    private final Resources resources = new Resources("the worker graph", List.of());
    private final JobRunnerImpl jobs;
    private final Breaker stopping = Breaker.manual();
    private final Breaker stoppingView = ReadOnlyBreaker.of(stopping);
    private final CompletableFuture<ShutdownReport> terminated = new CompletableFuture<>();

    private final Object lock = new Object();
    private State state = State.NEW;          // guarded by lock
    private Throwable cause;                  // guarded by lock
    private volatile boolean stopRequested;   // written under lock
    private volatile long stopBeganNanos;     // written under lock, before stopRequested
    private volatile long deadlineNanos;      // written under lock, before stopRequested
    private volatile Breaker deadline;        // written under lock, before stopRequested
    private volatile Thread driver;           // the thread running a phase
    private volatile Phase phase;             // the phase running, whose lock the thread calling the listeners holds
    private volatile Object stopFlight;       // the GraphStop event (WorkerFlight), written under lock before stopRequested

    final Map<String, Throwable> failures = new LinkedHashMap<>(); // the driving thread, or a phase's lock holder
    final Set<String> timedOut = new LinkedHashSet<>();            // the driving thread, or a phase's lock holder

    /**
     * Test-only: the clock of the graphs that this thread creates (a test's fake clock, see
     * {@link Clock}); {@link Clock#SYSTEM} while unset, as always outside tests. Package-private:
     * set by the tests' {@code FakeClock} in this package, around a {@code WorkerGraph.Builder.build()}.
     */
    static final ThreadLocal<Clock> TEST_CLOCK = new ThreadLocal<>();

    private GraphEngine(List<Node> nodes, JobRunnerImpl jobs, List<WorkerListener> listeners, Duration shutdownTimeout,
                        Clock clock) {
        this.clock = clock;
        this.threads = new WorkerThreads(clock);
        this.nodes = nodes;
        this.jobs = jobs;
        this.listeners = List.copyOf(listeners);
        this.shutdownTimeout = shutdownTimeout;
        for (Node n : nodes) {
            byName.put(n.name, n);
        }
    }

    /**
     * Validates and links the graph; adds the default job runner, which depends on every other
     * worker.
     *
     * @throws dev.breaker.worker.InvalidGraphException listing every problem
     */
    public static GraphEngine create(List<WorkerSpec> specs, List<WorkerListener> listeners, Duration shutdownTimeout) {
        List<String> all = new ArrayList<>();
        for (WorkerSpec s : specs) {
            all.add(s.name());
        }
        JobRunnerImpl jobs = new JobRunnerImpl(Messages.DEFAULT_JOBS, all.toArray(new String[0]));
        List<WorkerSpec> withJobs = new ArrayList<>(specs);
        withJobs.add(jobs.spec());
        Clock clock = TEST_CLOCK.get();
        return new GraphEngine(Topology.link(withJobs), jobs, listeners, shutdownTimeout,
                clock == null ? Clock.SYSTEM : clock);
    }

    // ---- start

    public void start() {
        synchronized (lock) {
            if (state == State.STARTING || state == State.RUNNING) {
                throw new IllegalStateException(Messages.alreadyStarted());
            }
            if (state != State.NEW) {
                throw cancelled();
            }
            state = State.STARTING;
        }
        LOG.log(Level.DEBUG, Messages.GRAPH_STARTING_PATTERN, nodes.size());
        long began = clock.nanoTime();
        Object flight = Jfr.AVAILABLE ? WorkerFlight.beginGraph(false) : null;
        WorkerStartException failure;
        driver = Thread.currentThread();
        StartPhase p = null;
        try {
            p = new StartPhase(this);
            phase = p;
            failure = p.run();
        } catch (RuntimeException | Error e) { // a bug of ours: still roll back
            failure = new WorkerStartException(null, Messages.graphStartFailed(e), e);
            requestStop(failure);
        }
        synchronized (lock) {
            if (flight != null) {
                WorkerFlight.graphStarted(flight, nodes.size(), failure == null && !stopRequested,
                        p == null ? "" : p.criticalPath());
            }
            if (failure == null && !stopRequested) {
                driver = null;
                state = State.RUNNING;
                LOG.log(Level.INFO, Messages.GRAPH_STARTED_PATTERN,
                        Duration.ofNanos(clock.nanoTime() - began).toMillis());
                return;
            }
            state = State.STOPPING;
            if (failure == null) {
                failure = cancelled();
            }
        }
        ShutdownReport report = stopAll();
        for (Node n : nodes) {
            if (timedOut.contains(n.name)) {
                n.info().failure().ifPresent(failure::addSuppressed);
            }
        }
        report.failures().values().forEach(failure::addSuppressed);
        finish(report);
        throw failure;
    }

    private WorkerStartException cancelled() {
        synchronized (lock) {
            return new WorkerStartException(null, Messages.startCancelled(),
                    cause != null ? cause : new CancellationException(Messages.startCancelled()));
        }
    }

    // ---- stop

    public ShutdownReport shutdown() {
        Optional<WorkerContext> ctx = CurrentContext.get();
        if (ctx.isPresent() && ctx.get() instanceof ContextImpl && ((ContextImpl) ctx.get()).engine == this) {
            throw new IllegalStateException(Messages.shutdownFromWorker(ctx.get().name()));
        }
        Phase p = phase;
        if (Thread.currentThread() == driver || p != null && p.lock.isHeldByCurrentThread()) {
            throw new IllegalStateException(Messages.shutdownFromListener());
        }
        requestStop(null);
        if (takeOverToStop()) {
            finish(stopAll());
        }
        return terminated.join();
    }

    public void abort(Throwable cause) {
        Objects.requireNonNull(cause, "cause");
        stopAsync(cause);
    }

    /** A routine asks for shutdown, with its failure as the cause, or with none. */
    void escalate(Throwable failureOrNull) {
        stopAsync(failureOrNull);
    }

    private void stopAsync(Throwable causeOrNull) {
        requestStop(causeOrNull);
        if (takeOverToStop()) {
            threads.newThread("shutdown", () -> finish(stopAll())).start(); // tracked, never waited for by itself
        }
    }

    /** Whether the caller must drive the stop (nobody else does, and it was not done). */
    private boolean takeOverToStop() {
        synchronized (lock) {
            if (state == State.NEW || state == State.RUNNING) {
                state = State.STOPPING;
                return true;
            }
            return false;
        }
    }

    /**
     * Records the first cause and, the first time, starts the shutdown clock and trips
     * {@code stopping}.
     */
    boolean requestStop(Throwable causeOrNull) {
        synchronized (lock) {
            if (state == State.TERMINATED) {
                return false;
            }
            if (causeOrNull != null && cause == null) {
                cause = causeOrNull;
            }
            if (stopRequested) {
                return false;
            }
            if (Jfr.AVAILABLE) {
                stopFlight = WorkerFlight.beginGraph(true);
            }
            stopBeganNanos = clock.nanoTime();
            deadlineNanos = stopBeganNanos + Time.nanos(shutdownTimeout); // saturated: never overflows
            deadline = clock.timeout(null, Time.capped(shutdownTimeout));
            stopRequested = true;
        }
        LOG.log(Level.INFO, () -> Messages.graphStopping(causeOrNull));
        Trip.shutdown(stopping, "worker graph");
        return true;
    }

    /**
     * Runs the stop phase, closes the graph's resources, and waits for the graph's threads except
     * those it gave up on (which the report names). Survives anything user code throws.
     */
    private ShutdownReport stopAll() {
        driver = Thread.currentThread();
        StopPhase p = null;
        try {
            p = new StopPhase(this);
            phase = p;
            p.run();
        } catch (Throwable e) { // a bug of ours: report it rather than hang
            failures.put(Messages.GRAPH, e);
        }
        try {
            Throwable closing = resources.closeAll();
            if (closing != null) {
                failures.put(Messages.GRAPH, Resources.merge(failures.get(Messages.GRAPH), closing));
            }
        } catch (Throwable e) {
            failures.put(Messages.GRAPH, Resources.merge(failures.get(Messages.GRAPH), e));
        }
        for (Node n : nodes) {
            RoutineRunner r = n.routine;
            if (r != null) { // only left running if its stop was skipped or overran
                r.requestStop();
                r.abandon(threads);
            }
        }
        Set<String> abandoned = threads.close(deadlineNanos, Thread.currentThread());
        if (!abandoned.isEmpty()) {
            LOG.log(Level.WARNING, () -> Messages.abandoned(abandoned));
        }
        deadline.close();
        Throwable c;
        synchronized (lock) {
            c = cause;
        }
        List<ShutdownReport.WorkerStop> stops;
        String criticalPath;
        try {
            stops = p == null ? List.of() : p.stops(stopBeganNanos);
            criticalPath = p == null ? "" : p.criticalPath();
        } catch (Throwable e) { // a bug of ours: a report without its timeline rather than none
            failures.put(Messages.GRAPH, Resources.merge(failures.get(Messages.GRAPH), e));
            stops = List.of();
            criticalPath = "";
        }
        ShutdownReport report = new ShutdownReport(c, failures, timedOut, abandoned,
                Duration.ofNanos(clock.nanoTime() - stopBeganNanos), stops);
        if (stopFlight != null) {
            WorkerFlight.graphStopped(stopFlight, nodes.size(), report, criticalPath);
        }
        return report;
    }

    private void finish(ShutdownReport report) {
        synchronized (lock) {
            state = State.TERMINATED;
        }
        fireTerminated(report); // while this thread is still the driver: a listener's shutdown() is refused
        driver = null;
        if (report.clean()) {
            LOG.log(Level.INFO, Messages.GRAPH_STOPPED_PATTERN, report.elapsed().toMillis());
        } else {
            LOG.log(Level.WARNING, () -> Messages.graphStoppedUnclean(report.elapsed().toMillis(), report));
        }
        terminated.complete(report);
    }

    /**
     * Records a {@code dev.breaker.ShutdownAnnounced} Flight Recorder event, if enabled: shutdown
     * was announced by {@code by} and the workers stop after {@code readinessDelay}. For the
     * integrations that announce shutdown (the CDI extension); safe from any thread, never throws.
     */
    public static void recordAnnouncement(String by, Duration readinessDelay) {
        if (Jfr.AVAILABLE) {
            WorkerFlight.announced(by, readinessDelay.toMillis());
        }
    }

    // ---- accessors

    public Breaker stopping() {
        return stoppingView;
    }

    Breaker stoppingSource() {
        return stopping;
    }

    boolean stopRequested() {
        return stopRequested;
    }

    long stopBeganNanos() {
        return stopBeganNanos;
    }

    long deadlineNanos() {
        return deadlineNanos;
    }

    Breaker deadline() {
        return deadline;
    }

    Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    WorkerThreads threads() {
        return threads;
    }

    public CompletionStage<ShutdownReport> terminated() {
        return terminated.copy();
    }

    public WorkerInfo info(String name) {
        Node n = byName.get(Objects.requireNonNull(name, "name"));
        if (n == null) {
            throw new IllegalArgumentException(Messages.unknownWorker(name));
        }
        return n.info();
    }

    public List<WorkerInfo> workers() {
        List<WorkerInfo> list = new ArrayList<>(nodes.size());
        for (Node n : nodes) {
            list.add(n.info());
        }
        return List.copyOf(list);
    }

    public JobRunner jobs() {
        return jobs;
    }

    public void bind(AutoCloseable resource) {
        resources.bind(resource);
    }

    void fire(WorkerEvent event) {
        for (WorkerListener l : listeners) {
            try {
                l.onTransition(event);
            } catch (Throwable t) { // Errors included: the driving thread must survive user code
                try {
                    LOG.log(Level.WARNING, () -> Messages.listenerFailed(event), t);
                } catch (Throwable ignored) {
                    // a logger as broken as the listener: go on
                }
            }
        }
    }

    private void fireTerminated(ShutdownReport report) {
        for (WorkerListener l : listeners) {
            try {
                l.onTerminated(report);
            } catch (Throwable t) { // Errors included, as in fire
                try {
                    LOG.log(Level.WARNING, "worker listener failed on the graph's termination", t);
                } catch (Throwable ignored) {
                    // a logger as broken as the listener: go on
                }
            }
        }
    }

    /** For the JDK's own reflection in {@link WorkerThreads}, not for user code: that never kills our threads. */
    static void rethrowIfFatal(Throwable t) {
        if (t instanceof VirtualMachineError) {
            throw (VirtualMachineError) t;
        }
    }
}
