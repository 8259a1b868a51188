package dev.breaker.worker.internal;

import java.time.Duration;
import java.util.List;

/** Every text the worker graph shows to users, in one place, so that tests can assert them. */
public final class Messages {
    private Messages() {
    }

    /** The name of the graph's default job runner; no CDI worker name can look like it. */
    public static final String DEFAULT_JOBS = "(jobs)";
    /** The key of failures to close resources bound to the graph itself. */
    public static final String GRAPH = "(graph)";

    static String duplicate(String name) {
        return "duplicate worker name '" + name + "'";
    }

    static String unknownDependency(String worker, String dependency) {
        return "worker '" + worker + "' depends on unknown worker '" + dependency + "'";
    }

    static String cycle(List<String> path) {
        return "cycle: " + String.join(" -> ", path);
    }

    static String startTimeout(String worker, Duration timeout) {
        return "worker '" + worker + "' did not start within " + timeout;
    }

    static String startFailed(String worker) {
        return "worker '" + worker + "' failed to start";
    }

    static String startCancelled() {
        return "start of the worker graph was cancelled: shutdown began";
    }

    static String startNotRun(String worker) {
        return "start of worker '" + worker + "' cancelled: shutdown began first";
    }

    static String stillStarting(String worker, Duration shutdownTimeout) {
        return "worker '" + worker + "' was still starting when the shutdown timeout (" + shutdownTimeout
                + ") elapsed";
    }

    static String startDidNotGiveWay(String worker, Duration stopTimeout) {
        return "worker '" + worker + "' was still starting " + stopTimeout
                + " (its stop timeout) after shutdown began";
    }

    static String stopTimeout(String worker, Duration timeout) {
        return "worker '" + worker + "' did not stop within " + timeout;
    }

    static String notStopped(String worker, Duration shutdownTimeout) {
        return "worker '" + worker + "' did not stop before the shutdown timeout (" + shutdownTimeout
                + ") elapsed";
    }

    static String routineReturned(String worker) {
        return "routine of worker '" + worker + "' returned";
    }

    static String routineLeakedInterrupt(String worker) {
        return "routine of worker '" + worker + "' returned with its thread's interrupt flag set; flag cleared";
    }

    static String backoffInterrupted(String worker) {
        return "supervisor of worker '" + worker + "' was interrupted during its restart back-off by code "
                + "outside the worker graph; shutting down rather than leaving the worker without a routine";
    }

    static String restartLimit(String worker, int max, Duration window) {
        return "routine of worker '" + worker + "' exceeded its restart limit (" + max + " within " + window + ")";
    }

    static String abandoned(java.util.Collection<String> threads) {
        return "threads of the worker graph left behind (interrupted, still running user code that ignores "
                + "its breaker and interrupts): " + String.join(", ", threads);
    }

    static String rejected(String runner) {
        return "job runner '" + runner + "' is stopping: job rejected";
    }

    static String bindAfterClose(String owner) {
        return "resources of " + owner + " are already closed: resource closed at once";
    }

    static String alreadyStarted() {
        return "start() was already called";
    }

    static String shutdownFromWorker(String worker) {
        return "shutdown() called from worker '" + worker + "' of the same graph would wait for itself; "
                + "use abort() or WorkerContext.abort()";
    }

    static String shutdownFromListener() {
        return "shutdown() called from a WorkerListener would wait for itself; use abort()";
    }

    static String unknownWorker(String name) {
        return "unknown worker '" + name + "'";
    }
}
