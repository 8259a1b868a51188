package dev.breaker.cdi.internal;

import dev.breaker.Breaker;
import dev.breaker.internal.Current;
import dev.breaker.internal.SecondSignal;
import dev.breaker.worker.WorkerState;
import dev.breaker.worker.ShutdownReport;
import dev.breaker.worker.internal.GraphEngine;
import dev.breaker.worker.WorkerGraph;
import dev.breaker.worker.WorkerInfo;
import dev.breaker.worker.WorkerStartException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.enterprise.inject.spi.BeanContainer;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the workers when the application context is initialized and stops them when it is
 * about to be destroyed. Both observers run early ({@code PLATFORM_BEFORE}), so application
 * startup observers find the workers running and the workers are gone before the container
 * destroys the application context.
 *
 * <pre>
 *   NEW --Startup--> RUNNING --@BeforeDestroyed--> STOPPED
 *    \--start failure: started workers stopped, DeploymentException (BRKR008)
 * </pre>
 *
 * <b>Shutdown</b> has two moments (the public face is {@link dev.breaker.cdi.ShutdownSequence}).
 * It is first <em>announced</em> ({@link ShutdownAnnouncement}): by the JVM shutdown hook
 * (SIGTERM, SIGINT, {@code System.exit}), by the application ({@link #announce}), or at the
 * latest when the workers are about to stop. From then on readiness is DOWN and nothing else
 * changes. The workers then {@linkplain #stopWorkers stop} when the application asks or the
 * container shuts down ({@code @BeforeDestroyed}), but never before
 * {@code breaker.shutdown.readiness-delay} has passed since the announcement: that is when every
 * breaker trips and the graph stops in reverse order.
 *
 * <pre>
 *   RUNNING --announce--> ANNOUNCED (readiness DOWN) --stopWorkers, delay passed--> STOPPING --> STOPPED
 * </pre>
 *
 * A shutdown may begin while the workers are starting (a SIGTERM during boot): the graph is
 * published before its start, and both the JVM shutdown hook and the stop shut it down at once,
 * without the readiness delay (the application never was ready) and without waiting for the
 * start's monitor, so the start gives way, rolls back, and the JVM can exit within
 * {@code breaker.shutdown.timeout}.
 *
 * <p>An observer bean: ArC keeps it (and what it injects) although nothing injects it.
 * Thread-safe: {@code start} and the second half of {@code stopWorkers} hold {@code this};
 * {@code stopWorkers} may be called more than once (the runtime's stop, then the container's
 * destruction), the later calls finding the graph stopped; {@code graph} and {@code starting}
 * are volatile.
 */
@Singleton
public class WorkerLifecycle {
    private static final System.Logger LOG = System.getLogger("dev.breaker.cdi");

    private final BeanContainer container;
    private final DeploymentModel model;
    private final BreakerSource breakers;
    private final StoppedWorkers stoppedWorkers;
    private final Instance<GraphHook> hooks;
    private volatile WorkerGraph graph;
    private volatile WorkerGraph starting;    // the graph while its start() runs, else null
    private volatile boolean stopping;
    private volatile Throwable abortCause;
    private Thread shutdownHook;
    private Runnable removeCurrentFallback; // guarded by this
    private final ShutdownAnnouncement announcement = new ShutdownAnnouncement();
    /** {@code breaker.shutdown.report-file}, read at start; null if not set. */
    private volatile java.nio.file.Path reportFile;
    /** The report whose timeline was written (guarded by this). */
    private ShutdownReport timelineOf;

    /**
     * {@code requests} is not called: injecting it keeps ArC from removing the bean (see
     * {@link #installCurrentFallback}). {@code hooks}: the {@link GraphHook}s of the integration
     * modules present (none without them); an {@code Instance} injection point, so ArC keeps them.
     */
    @Inject
    public WorkerLifecycle(BeanContainer container, DeploymentModel model, BreakerSource breakers,
                           StoppedWorkers stoppedWorkers, RequestBreakers requests, Instance<GraphHook> hooks) {
        this.container = container;
        this.model = model;
        this.breakers = breakers;
        this.stoppedWorkers = stoppedWorkers;
        this.hooks = hooks;
    }

    /**
     * Starts on CDI 4's {@code Startup} event rather than {@code @Initialized(ApplicationScoped)}:
     * Quarkus fires the latter while it is still initialising (before its datasources exist),
     * and the former once the application is ready; Weld and OpenWebBeans fire it right after.
     */
    synchronized void start(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) Startup event) {
        if (graph != null) {
            return;
        }
        Settings settings = new Settings(ConfigLookup.detect());
        List<String> problems = new ArrayList<>();
        settings.validate(model, problems::add); // the build compatible path validates config here
        if (!problems.isEmpty()) {
            breakers.beginShutdown();
            throw new DeploymentException(Messages.configurationProblems(problems));
        }
        announcement.delay(settings.readinessDelay());
        PayaraShutdownGrace.coverReadinessDelay(settings.readinessDelay()); // Payara: serve during the delay
        reportFile = settings.reportFile().orElse(null);
        WorkerGraph g = WorkerGraphAssembler.assemble(model, settings, container, stoppedWorkers,
                hooks.stream().toList());
        LOG.log(Level.DEBUG, () -> "Breaker: the worker graph, as Mermaid (draw it at mermaid.live or in Markdown):\n"
                + g.toMermaid());
        LOG.log(Level.DEBUG, () -> "Breaker: the worker graph, as Graphviz DOT (draw it with dot -Tsvg):\n" + g.toDot());
        installCurrentFallback(settings); // after the assembly, which may fail the deployment
        // published before the start, so that a shutdown beginning during the start (a SIGTERM,
        // the container's own shutdown) reaches the graph: its start breakers trip and it rolls back
        starting = g;
        shutdownHook = new Thread(this::jvmShutdown, "breaker-shutdown-signal");
        try {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } catch (IllegalStateException jvmShuttingDown) {
            shutdownHook = null;
            g.shutdown(); // the start below then fails at once, after closing what is bound
        }
        try {
            g.start();
        } catch (WorkerStartException e) {
            starting = null;
            removeShutdownHook();
            removeCurrentFallback();
            breakers.beginShutdown();
            if (e.worker() == null) {
                Throwable cause = userFailure(e.getCause() != null ? e.getCause() : e);
                throw new DeploymentException(Messages.abortedDuringStart(cause), cause);
            }
            String className = model.workers().stream().filter(w -> w.name().equals(e.worker()))
                    .map(WorkerDef::className).findFirst().orElse("?");
            Throwable cause = userFailure(e.getCause() != null ? e.getCause() : e);
            throw new DeploymentException(Messages.startFailed(e.worker(), className, cause), cause);
        } catch (RuntimeException | Error unexpected) {
            starting = null;
            removeShutdownHook();
            removeCurrentFallback();
            throw unexpected;
        }
        graph = g;
        starting = null;
        g.stopping().onBreak(breakers::beginShutdown); // an abort: readiness DOWN before workers stop
        boolean exitOnAbort = settings.exitOnAbort();
        g.terminated().thenAccept(report -> aborted(report, exitOnAbort));
    }

    /**
     * The JVM shutdown hook (SIGTERM, SIGINT, {@code System.exit}): announces the shutdown
     * (readiness DOWN). If the workers are still starting, it trips every breaker and shuts the
     * graph down at once, which makes the start give way and roll back; it returns once that is
     * done, within the shutdown timeout. Once the workers are running, stopping them is the
     * container's job; the hook trips every breaker when the readiness delay has passed (at once
     * without one), so that they trip even where no container stops.
     */
    private void jvmShutdown() {
        armSecondSignal(); // a second Ctrl-C does not wait for a hung stop
        announce("the JVM is shutting down (SIGTERM, SIGINT or System.exit)");
        WorkerGraph g = starting;
        if (g != null) {
            breakers.beginShutdown();
            g.shutdown();
            return;
        }
        if (!breakers.shutdownBreaker().isBroken()) {
            announcement.awaitDelay("the JVM shutdown hook");
            breakers.beginShutdown();
        }
    }

    /**
     * Arms the second signal ({@link SecondSignal}); what that throws is logged, never thrown:
     * it runs in the JVM's shutdown hook and in the container's stop, which must go on.
     */
    private void armSecondSignal() {
        try {
            SecondSignal.arm(this::unfinished);
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.DEBUG, "Breaker: no second-signal handler: " + e, e);
        }
    }

    /**
     * Makes {@link dev.breaker.CurrentBreaker#get()} find the current request's breaker (the one
     * an unqualified {@code @Inject Breaker} gets in it). One application per copy of the core
     * library: where another one installed its own first (a shared library in a server), this
     * one's requests are not found that way, and a DEBUG line says so.
     */
    private void installCurrentFallback(Settings settings) {
        if (removeCurrentFallback != null) {
            return;
        }
        RequestContextProbe probe = new RequestContextProbe(container);
        BreakerMaker make = breakers.maker("default");
        Runnable removeBudget = InboundBudget.install(new InboundBudget(settings));
        Runnable removeLookup = RequestBreakers.installLookup(probe::current);
        Runnable removeFallback = Current.installFallback(() -> {
            RequestBreakers request = probe.current();
            return request == null ? null : request.breaker(RequestBreakers.DEFAULT, make);
        });
        removeCurrentFallback = () -> {
            removeBudget.run();
            if (removeLookup != null) {
                removeLookup.run();
            }
            if (removeFallback != null) {
                removeFallback.run();
            }
        };
        if (removeFallback == null) {
            LOG.log(Level.DEBUG, "Breaker: another application installed CurrentBreaker's request lookup first;"
                    + " this one's requests are not found by CurrentBreaker.get()");
        }
    }

    private void removeCurrentFallback() {
        Runnable remove = removeCurrentFallback;
        if (remove != null) {
            removeCurrentFallback = null;
            remove.run();
        }
    }

    /** The workers that have not stopped, for the BRKR019 line of a second signal. */
    private String unfinished() {
        WorkerGraph g = graph != null ? graph : starting;
        if (g == null) {
            return "no worker";
        }
        String left = g.workers().stream()
                .filter(w -> w.state() != WorkerState.STOPPED && w.state() != WorkerState.FAILED
                        && w.state() != WorkerState.NEW)
                .map(w -> "'" + w.name() + "' (" + w.state() + ")")
                .collect(Collectors.joining(", "));
        return left.isEmpty() ? "no worker (the container's own shutdown)" : "workers " + left;
    }

    /**
     * Announces the shutdown, once: readiness goes DOWN; the workers keep running and no breaker
     * trips until {@link #stopWorkers} and the readiness delay. Later calls change nothing.
     * Called by the JVM shutdown hook, by the application, and by the stop.
     *
     * @param by who noticed, for the log
     */
    public void announce(String by) {
        if (announcement.announce(by)) {
            Duration delay = announcement.delay();
            GraphEngine.recordAnnouncement(by, delay);
            if (delay.isZero()) {
                LOG.log(Level.DEBUG, "Breaker: shutdown announced ({0}): readiness DOWN", by);
            } else {
                LOG.log(Level.INFO, "Breaker: shutdown announced ({0}): readiness DOWN; the workers keep running"
                        + " for {1} ({2}) before they stop", by, delay.toMillis() + " ms", Settings.READINESS_DELAY);
            }
        }
    }

    /** Whether shutdown has been announced (readiness DOWN since). */
    public boolean isAnnounced() {
        return announcement.isAnnounced();
    }

    /** Returns once the readiness delay has passed since the announcement (announcing now if nobody has). */
    public void awaitReadinessDelay() {
        announcement.awaitDelay("the application");
    }

    /**
     * The graph stopped on its own: a worker aborted or a routine escalated. Trips every breaker
     * (readiness goes DOWN), reports the cause (liveness goes DOWN) and, if configured, exits.
     */
    private void aborted(ShutdownReport report, boolean exitOnAbort) {
        if (stopping) {
            return; // the container's own shutdown
        }
        Throwable cause = report.cause().orElseGet(() -> new IllegalStateException("worker graph stopped"));
        abortCause = cause;
        breakers.beginShutdown();
        LOG.log(Level.ERROR, "Breaker: a worker aborted the application; every worker has stopped"
                + (exitOnAbort ? "; exiting with status 1" : "") + ": " + cause, cause);
        if (exitOnAbort) {
            Thread exit = new Thread(() -> System.exit(1), "breaker-abort-exit");
            exit.setDaemon(true);
            exit.start();
        }
    }

    /** {@code @Inject JobRunner}: jobs drained at shutdown before any worker stops. */
    @jakarta.enterprise.inject.Produces
    @Singleton
    dev.breaker.worker.JobRunner jobs() {
        return new ApplicationJobs(this, breakers);
    }

    /**
     * The worker graph as a Mermaid flowchart ({@link WorkerGraph#toMermaid()}), for the Quarkus
     * extension's Dev UI page; empty before the start.
     */
    public String graphAsMermaid() {
        WorkerGraph g = graph;
        return g == null ? "" : g.toMermaid();
    }

    /** The running graph, or null before start. */
    WorkerGraph graph() {
        return graph;
    }

    /** Whether the workers have started and not yet been asked to stop. */
    public boolean isRunning() {
        return graph != null && !stopping && abortCause == null;
    }

    /** The workers and their states; empty before start. Job runner nodes are left out. */
    public java.util.List<WorkerInfo> workers() {
        WorkerGraph g = graph;
        if (g == null) {
            return java.util.List.of();
        }
        return g.workers().stream().filter(w -> !w.name().equals(WorkerGraph.DEFAULT_JOBS)).toList();
    }

    /** Why a worker aborted the application, if one did. */
    public java.util.Optional<Throwable> abortCause() {
        return java.util.Optional.ofNullable(abortCause);
    }

    private void removeShutdownHook() {
        Thread hook = shutdownHook;
        if (hook != null) {
            shutdownHook = null;
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException jvmShuttingDown) {
                // the hook has run or is running: nothing to undo
            }
        }
    }

    /** The worker's own exception, out of the container's reflective wrappers (Weld's WELD-000049). */
    static Throwable userFailure(Throwable t) {
        for (int i = 0; i < 10; i++) {
            if (t instanceof java.lang.reflect.InvocationTargetException && t.getCause() != null) {
                t = t.getCause();
            } else if (t.getCause() instanceof java.lang.reflect.InvocationTargetException ite
                    && ite.getCause() != null) {
                t = ite.getCause();
            } else {
                break;
            }
        }
        return t;
    }

    /**
     * The container is about to destroy the application context: the workers stop, if they have
     * not already (after the rest of the readiness delay). Before every other observer of the event,
     * platform ones included: Helidon MP stops its web server from an observer of this event at
     * priority {@code PLATFORM_BEFORE} (0), and when that one ran first (a tie is in no order) the
     * port closed at SIGTERM and the delay was not served (seen in full runs of the servers' tests).
     */
    void stop(@Observes @BeforeDestroyed(ApplicationScoped.class)
              @Priority(Interceptor.Priority.PLATFORM_BEFORE - 1) Object event) {
        stopWorkers("the container is shutting down");
    }

    /**
     * Stops the workers: announces the shutdown if nobody has ({@code by}), waits until the
     * readiness delay has passed since the announcement (not if the workers are still starting or
     * aborted), trips every breaker, and stops the graph in reverse order, bounded by
     * {@code breaker.shutdown.timeout}. Returns when the graph has stopped. Idempotent: a later
     * call returns once the first one's stop is over.
     */
    public void stopWorkers(String by) {
        Thread hook = shutdownHook;
        if (hook != null && hook.isAlive()) {
            // the JVM is shutting down (the JVM starts every hook before any of them gets this far):
            // arm here too, so that a second signal halts even if our hook's thread has not run yet
            armSecondSignal();
        }
        announce(by);
        if (graph != null && starting == null && !stopping && abortCause == null) {
            long remaining = announcement.remainingNanos();
            if (remaining > 0) {
                LOG.log(Level.DEBUG, "Breaker: the workers stop in {0} ms, when {1} ({2}) has passed since the announcement",
                        java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(remaining), Settings.READINESS_DELAY,
                        announcement.delay().toMillis() + " ms");
            }
            announcement.awaitDelay(by);
        }
        stopping = true;
        breakers.beginShutdown();
        WorkerGraph g = starting;
        if (g != null) {
            // the container shuts down while start() holds the monitor: make the start give way first
            g.shutdown();
        }
        synchronized (this) {
            removeShutdownHook();
            if (graph == null) {
                removeCurrentFallback();
                return;
            }
            ShutdownReport report;
            try {
                report = graph.shutdown(); // blocking, bounded by breaker.shutdown.timeout
            } finally {
                // only now: requests still in flight while the workers stop find their (tripped) breaker
                removeCurrentFallback();
            }
            for (String worker : report.timedOut()) {
                if (!stoppedWorkers.isStopped(worker)) {
                    stoppedWorkers.skippedAtDeadline(worker); // reached after the deadline: never stopped
                }
            }
            if (!report.clean()) {
                LOG.log(Level.DEBUG, "Breaker shutdown report: {0}", report); // the graph logged the problems
            }
            if (report != timelineOf) { // a later call gets the same report: one file per shutdown
                timelineOf = report;
                writeTimeline(report);
            }
        }
    }

    /**
     * Writes the timeline of {@code report} to {@code breaker.shutdown.report-file}, if set: a
     * Mermaid Gantt chart, fenced under a heading in a {@code .md} file. Replaces the file
     * atomically where the file system can (a reader never sees half a picture); a failure is
     * logged ({@code BRKR030}), never thrown, since the shutdown must go on.
     */
    private void writeTimeline(ShutdownReport report) {
        java.nio.file.Path file = reportFile;
        if (file == null) {
            return;
        }
        try {
            String gantt = report.toMermaidGantt();
            String text = file.getFileName().toString().endsWith(".md")
                    ? "# Shutdown of " + java.time.Instant.now() + "\n\n```mermaid\n" + gantt + "```\n"
                    : gantt;
            java.nio.file.Path tmp = java.nio.file.Files.createTempFile(file.getParent(), ".breaker-shutdown", ".tmp");
            try {
                java.nio.file.Files.writeString(tmp, text);
                try {
                    java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                    java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                java.nio.file.Files.deleteIfExists(tmp);
            }
            LOG.log(Level.INFO, Messages.reportWritten(file.toString()));
        } catch (Exception | LinkageError e) {
            LOG.log(Level.WARNING, Messages.reportNotWritten(file.toString(), e), e);
        }
    }
}
