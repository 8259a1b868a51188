package dev.breaker.worker;

/**
 * Thrown by {@link WorkerGraph#start()} when the graph did not start. By the time it is thrown
 * the graph has been rolled back: every worker that had started has stopped, bound resources
 * are closed and no thread of the graph is left.
 *
 * <p>If a worker failed to start, {@link #worker()} names it and the cause is its original
 * failure (a {@link java.util.concurrent.TimeoutException} for a start timeout). If shutdown
 * began during the start instead (an abort, a call to {@link WorkerGraph#shutdown()}),
 * {@link #worker()} is null and the cause is the abort cause or a
 * {@link java.util.concurrent.CancellationException}. Stop failures of the rollback are
 * attached as suppressed exceptions.
 *
 * <p>Its worker name and cause do not change; suppressed exceptions are all attached before it is thrown.
 */
public class WorkerStartException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The worker whose start failed, or null if the start was cancelled by a shutdown. */
    private final String worker;

    /**
     * An exception for a start that failed. The graph throws it; this constructor is public for
     * tests and for integrations that start a graph on a user's behalf.
     *
     * @param worker  the worker whose start failed, or null if a shutdown cancelled the start
     * @param message the detail message
     * @param cause   the worker's failure, the abort cause, or a
     *                {@link java.util.concurrent.CancellationException}
     */
    public WorkerStartException(String worker, String message, Throwable cause) {
        super(message, cause);
        this.worker = worker;
    }

    /**
     * The worker whose start failed, or null if the start was cancelled by a shutdown.
     *
     * @return the worker's name, or null
     */
    public String worker() {
        return worker;
    }
}
