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
     * An event. The graph makes the events its {@link WorkerListener}s receive; this constructor
     * is public for tests and for integrations that report on a graph's behalf.
     *
     * @param worker  the name of the worker that changed state
     * @param from    the state it left
     * @param to      the state it entered
     * @param elapsed the duration of the phase that just ended, or {@link Duration#ZERO}
     * @param failure what made the worker {@link WorkerState#FAILED}, or null
     * @throws NullPointerException if an argument other than {@code failure} is null
     */
    public WorkerEvent(String worker, WorkerState from, WorkerState to, Duration elapsed, Throwable failure) {
        this.worker = Objects.requireNonNull(worker, "worker");
        this.from = Objects.requireNonNull(from, "from");
        this.to = Objects.requireNonNull(to, "to");
        this.elapsed = Objects.requireNonNull(elapsed, "elapsed");
        this.failure = failure;
    }

    /**
     * The worker that changed state.
     *
     * @return the worker's name, as in its {@link WorkerSpec#name()}
     */
    public String worker() {
        return worker;
    }

    /**
     * The state the worker left.
     *
     * @return the previous state, never null
     */
    public WorkerState from() {
        return from;
    }

    /**
     * The state the worker entered.
     *
     * @return the new state, never null
     */
    public WorkerState to() {
        return to;
    }

    /**
     * How long the phase that just ended took: the start on leaving {@link WorkerState#STARTING},
     * the stop on leaving {@link WorkerState#STOPPING}; {@link Duration#ZERO} otherwise.
     *
     * @return the phase's duration, or {@link Duration#ZERO}
     */
    public Duration elapsed() {
        return elapsed;
    }

    /**
     * Why the worker failed, for a transition to {@link WorkerState#FAILED}.
     *
     * @return the failure, or empty for every other transition
     */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public String toString() {
        return worker + ": " + from + " -> " + to + (elapsed.isZero() ? "" : " in " + elapsed)
                + (failure == null ? "" : " (" + failure + ")");
    }
}
