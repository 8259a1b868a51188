package dev.breaker.worker;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@link WorkerState} transition of one worker. Immutable and thread-safe.
 */
public final class WorkerEvent {
    private final String worker;
    private final WorkerState from;
    private final WorkerState to;
    private final Duration elapsed;
    private final Throwable failure;

    /**
     * @param elapsed the duration of the phase that just ended, or {@link Duration#ZERO}
     * @param failure what made the worker {@link WorkerState#FAILED}, or null
     */
    public WorkerEvent(String worker, WorkerState from, WorkerState to, Duration elapsed, Throwable failure) {
        this.worker = Objects.requireNonNull(worker, "worker");
        this.from = Objects.requireNonNull(from, "from");
        this.to = Objects.requireNonNull(to, "to");
        this.elapsed = Objects.requireNonNull(elapsed, "elapsed");
        this.failure = failure;
    }

    public String worker() {
        return worker;
    }

    public WorkerState from() {
        return from;
    }

    public WorkerState to() {
        return to;
    }

    /**
     * How long the phase that just ended took: the start on leaving {@link WorkerState#STARTING},
     * the stop on leaving {@link WorkerState#STOPPING}; {@link Duration#ZERO} otherwise.
     */
    public Duration elapsed() {
        return elapsed;
    }

    /** Why the worker failed, for a transition to {@link WorkerState#FAILED}. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public String toString() {
        return worker + ": " + from + " -> " + to + (elapsed.isZero() ? "" : " in " + elapsed)
                + (failure == null ? "" : " (" + failure + ")");
    }
}
