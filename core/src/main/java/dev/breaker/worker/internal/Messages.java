package dev.breaker.worker.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * The catalogue of the worker graph: every text it shows to users, log line or exception message,
 * each with a stable code ({@code BRKR100}…{@code BRKR149}; the breaker internals have
 * {@code BRKR150}… in {@link dev.breaker.internal.Messages}), in one place so that tests can
 * assert them and users can search for them (see {@code docs/messages.md}).
 *
 * <p>A log line is built only when its level is enabled: the graph logs through
 * {@code System.Logger} with a {@link java.util.function.Supplier} calling a method here, or with
 * one of the {@code *_PATTERN} constants, which are {@link java.text.MessageFormat} patterns the
 * logger formats only when it publishes the line. An exception message is built with its
 * exception. Stateless; thread-safe.
 */
public final class Messages {
    private Messages() {
    }

    /** The name of the graph's default job runner; no CDI worker name can look like it. */
    public static final String DEFAULT_JOBS = "(jobs)";
    /** The key of failures to close resources bound to the graph itself. */
    public static final String GRAPH = "(graph)";

    // ---- validation (InvalidGraphException#problems)

    /** BRKR100 (validation problem): two workers of one graph have the same name. */
    static String duplicate(String name) {
        return "BRKR100: duplicate worker name '" + name + "'";
    }

    /** BRKR101 (validation problem): a worker depends on a name that no worker of the graph has. */
    static String unknownDependency(String worker, String dependency) {
        return "BRKR101: worker '" + worker + "' depends on unknown worker '" + dependency + "'";
    }

    /** BRKR102 (validation problem): a dependency cycle; {@code path} starts and ends with the same worker. */
    static String cycle(List<String> path) {
        return "BRKR102: cycle: " + String.join(" -> ", path);
    }

    // ---- start

    /** BRKR103 ({@code IllegalStateException}): {@code start()} called a second time. */
    static String alreadyStarted() {
        return "BRKR103: start() was already called";
    }

    /**
     * BRKR104 ({@code WorkerStartException} of no worker): the start gave way because shutdown
     * began (a shutdown, an abort, a routine's escalation) before every worker had started.
     */
    static String startCancelled() {
        return "BRKR104: start of the worker graph was cancelled: shutdown began";
    }

    /** BRKR105 (a worker's {@code CancellationException}): its start never ran, shutdown began first. */
    static String startNotRun(String worker) {
        return "BRKR105: start of worker '" + worker + "' cancelled: shutdown began first";
    }

    /** BRKR106 (a worker's {@code TimeoutException}): its start overran its start timeout. */
    static String startTimeout(String worker, Duration timeout) {
        return "BRKR106: worker '" + worker + "' did not start within " + timeout;
    }

    /**
     * BRKR107 (ERROR, with the failure; and the message of the {@code WorkerStartException},
     * followed by {@code ": "} and the failure): a worker's start failed; the graph rolls back.
     */
    static String startFailed(String worker) {
        return "BRKR107: worker '" + worker + "' failed to start";
    }

    /** BRKR108 (INFO): a start that failed once shutdown had begun: a consequence, not the cause. */
    static String startEndedDuringShutdown(String worker, Throwable thrown) {
        return "BRKR108: start of worker '" + worker + "' ended during shutdown: " + thrown;
    }

    /**
     * BRKR109 (WARNING, and the worker's {@code TimeoutException}): a start still running its
     * stop timeout after shutdown began; given up on, its thread interrupted and abandoned.
     */
    static String startDidNotGiveWay(String worker, Duration stopTimeout) {
        return "BRKR109: worker '" + worker + "' was still starting " + stopTimeout
                + " (its stop timeout) after shutdown began";
    }

    /**
     * BRKR110 (WARNING, and the worker's {@code TimeoutException}): a start still running when
     * the shutdown timeout elapsed; given up on.
     */
    static String stillStarting(String worker, Duration shutdownTimeout) {
        return "BRKR110: worker '" + worker + "' was still starting when the shutdown timeout (" + shutdownTimeout
                + ") elapsed";
    }

    /** BRKR111 (INFO): a worker started; {0} its name, {1} how long its start took in milliseconds. */
    static final String WORKER_STARTED_PATTERN = "BRKR111: worker ''{0}'' started in {1} ms";

    /** BRKR112 (DEBUG): the graph's start begins; {0} the number of workers (the job runner included). */
    static final String GRAPH_STARTING_PATTERN = "BRKR112: starting {0} workers";

    /** BRKR113 (INFO): every worker started; {0} how long the graph's start took in milliseconds. */
    static final String GRAPH_STARTED_PATTERN = "BRKR113: worker graph started in {0} ms";

    /**
     * BRKR114 (the message of a {@code WorkerStartException} of no worker): the graph's own start
     * failed unexpectedly (a bug of the library); the graph still rolls back.
     */
    static String graphStartFailed(Throwable bug) {
        return "BRKR114: start of the worker graph failed: " + bug;
    }

    // ---- stop

    /** BRKR115 (INFO): the graph's shutdown begins; {@code causeOrNull} is why, if it was not asked for. */
    static String graphStopping(Throwable causeOrNull) {
        return "BRKR115: worker graph stopping" + (causeOrNull == null ? "" : ": " + causeOrNull);
    }

    /** BRKR116 (INFO): a worker stopped; {0} its name, {1} how long its stop took in milliseconds. */
    static final String WORKER_STOPPED_PATTERN = "BRKR116: worker ''{0}'' stopped in {1} ms";

    /** BRKR117 (ERROR, with the failure): a worker's stop threw; the shutdown goes on. */
    static String stopFailed(String worker, long millis) {
        return "BRKR117: worker '" + worker + "' failed to stop in " + millis + " ms";
    }

    /**
     * BRKR118 (WARNING, and the worker's {@code TimeoutException}): a stop overran the worker's
     * stop timeout; given up on, its threads interrupted and abandoned.
     */
    static String stopTimeout(String worker, Duration timeout) {
        return "BRKR118: worker '" + worker + "' did not stop within " + timeout;
    }

    /**
     * BRKR119 (WARNING, and the worker's {@code TimeoutException}): a worker had not stopped (or
     * its stop had not begun) when the graph's shutdown timeout elapsed.
     */
    static String notStopped(String worker, Duration shutdownTimeout) {
        return "BRKR119: worker '" + worker + "' did not stop before the shutdown timeout (" + shutdownTimeout
                + ") elapsed";
    }

    /**
     * BRKR120 (ERROR, with the failure): closing what a worker that was not running (its start
     * failed or never ran) had bound failed.
     */
    static String closingFailed(String worker) {
        return "BRKR120: closing the resources of worker '" + worker + "' failed";
    }

    /** BRKR121 (INFO): the graph stopped cleanly; {0} how long its shutdown took in milliseconds. */
    static final String GRAPH_STOPPED_PATTERN = "BRKR121: worker graph stopped in {0} ms";

    /**
     * BRKR122 (WARNING): the graph stopped, but not cleanly (a failure, a timeout, a thread left
     * behind), followed by the whole report.
     */
    static String graphStoppedUnclean(long millis, Object report) {
        return "BRKR122: worker graph stopped in " + millis + " ms: " + report;
    }

    /**
     * BRKR123 (WARNING): threads the graph gave up on were still running user code when its
     * shutdown ended; each named.
     */
    static String abandoned(Collection<String> threads) {
        return "BRKR123: threads of the worker graph left behind (interrupted, still running user code that ignores "
                + "its breaker and interrupts): " + String.join(", ", threads);
    }

    /** BRKR124 (WARNING, with the failure): a {@code WorkerListener} threw; the others still run. */
    static String listenerFailed(Object event) {
        return "BRKR124: worker listener failed on " + event;
    }

    // ---- routines

    /** BRKR125 (WARNING): a routine returned with its thread's interrupt flag set; the graph clears it. */
    static String routineLeakedInterrupt(String worker) {
        return "BRKR125: routine of worker '" + worker
                + "' returned with its thread's interrupt flag set; flag cleared";
    }

    /**
     * BRKR126 (ERROR, with the error): a routine ended with a {@code VirtualMachineError}; the graph
     * shuts down, whatever the routine's policy.
     */
    static String routineFatal(String worker, Throwable error) {
        return "BRKR126: routine of worker '" + worker + "' returned with " + error + "; shutting down";
    }

    /** BRKR127 (WARNING, with the failure): a routine threw; its {@code onError} policy follows. */
    static String routineFailed(String worker, Throwable failure, Object policy) {
        return "BRKR127: routine of worker '" + worker + "' returned with " + failure + "; policy " + policy;
    }

    /** BRKR128 (INFO): a routine returned without being asked to stop; its {@code onReturn} policy follows. */
    static String routineReturned(String worker, Object policy) {
        return "BRKR128: routine of worker '" + worker + "' returned; policy " + policy;
    }

    /**
     * BRKR129 (ERROR; and the message of the {@code IllegalStateException} the graph shuts down
     * with if the routine returned): a routine to restart exceeded its restart limit.
     */
    static String restartLimit(String worker, int max, Duration window) {
        return "BRKR129: routine of worker '" + worker + "' exceeded its restart limit (" + max + " within "
                + window + ")";
    }

    /**
     * BRKR130 (ERROR; and the {@code IllegalStateException} the graph shuts down with): code outside
     * the graph interrupted a supervisor's restart back-off.
     */
    static String backoffInterrupted(String worker) {
        return "BRKR130: supervisor of worker '" + worker + "' was interrupted during its restart back-off by code "
                + "outside the worker graph; shutting down rather than leaving the worker without a routine";
    }

    /** BRKR131 (ERROR, with the failure): a routine's supervisor failed (a bug of the library); shutting down. */
    static String supervisorFailed(String worker) {
        return "BRKR131: supervisor of worker '" + worker + "' failed";
    }

    // ---- threads

    /**
     * BRKR132 (WARNING, with the failure): the pool could not create a thread when its bound grew;
     * a waiting start or stop runs when a pooled thread is free.
     */
    static String poolThreadNotCreated() {
        return "BRKR132: the worker graph could not create a thread; a waiting start or stop"
                + " runs when a thread is free";
    }

    /** BRKR133 (WARNING, with the failure): a task of the pool threw (a bug: bodies and jobs catch everything). */
    static String taskFailed() {
        return "BRKR133: a task of the worker graph failed";
    }

    /** BRKR134 (WARNING): {@code dev.breaker.worker.poolSize} is not a positive integer; the default applies. */
    static String badPoolSize(String property, int defaultSize) {
        return "BRKR134: dev.breaker.worker.poolSize=" + property + " is not a positive integer; using " + defaultSize;
    }

    /**
     * BRKR135 (WARNING, with the failure): a start or stop that waited too long for a pooled thread
     * got no fresh thread of its own either; it goes on waiting for a pooled one.
     */
    static String freshThreadNotCreated(String threadName) {
        return "BRKR135: no thread could be created for " + threadName
                + "; it waits for a thread of the worker graph's pool";
    }

    // ---- calls of the API at the wrong time

    /** BRKR136 ({@code RejectedExecutionException}): a job submitted once its runner began to stop. */
    static String rejected(String runner) {
        return "BRKR136: job runner '" + runner + "' is stopping: job rejected";
    }

    /**
     * BRKR137 ({@code IllegalStateException}, what closing threw suppressed in it): a resource
     * bound once its owner's resources were closed; it is closed at once.
     */
    static String bindAfterClose(String owner) {
        return "BRKR137: resources of " + owner + " are already closed: resource closed at once";
    }

    /** BRKR138 ({@code IllegalStateException}): {@code shutdown()} called by a worker of the graph. */
    static String shutdownFromWorker(String worker) {
        return "BRKR138: shutdown() called from worker '" + worker + "' of the same graph would wait for itself; "
                + "use abort() or WorkerContext.abort()";
    }

    /** BRKR139 ({@code IllegalStateException}): {@code shutdown()} called by a {@code WorkerListener}. */
    static String shutdownFromListener() {
        return "BRKR139: shutdown() called from a WorkerListener would wait for itself; use abort()";
    }

    /** BRKR140 ({@code IllegalArgumentException}): {@code info(name)} of a name no worker has. */
    static String unknownWorker(String name) {
        return "BRKR140: unknown worker '" + name + "'";
    }
}
