package dev.breaker.worker;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A snapshot of one worker, taken by {@link WorkerGraph#info(String)} or
 * {@link WorkerGraph#workers()}. Immutable and thread-safe; take a new one to see changes.
 */
public final class WorkerInfo {
    private final String name;
    private final WorkerState state;
    private final Set<String> dependsOn;
    private final Duration startDuration;
    private final Duration stopDuration;
    private final Throwable failure;
    private final int restarts;

    /**
     * A snapshot. The graph takes its snapshots; this constructor is public for tests and for
     * integrations that report on a graph's behalf.
     *
     * @param name          the worker's name
     * @param state         the worker's state
     * @param dependsOn     the names of the workers it depends on; copied
     * @param startDuration how long its start took, or null if the start has not ended
     * @param stopDuration  how long its stop took, or null if the stop has not ended
     * @param failure       its last failure (see {@link #failure()}), or null
     * @param restarts      how many times its routine has been restarted
     * @throws NullPointerException if {@code name}, {@code state}, {@code dependsOn} or one of its
     *                              names is null
     */
    public WorkerInfo(String name, WorkerState state, Set<String> dependsOn, Duration startDuration,
                      Duration stopDuration, Throwable failure, int restarts) {
        this.name = Objects.requireNonNull(name, "name");
        this.state = Objects.requireNonNull(state, "state");
        this.dependsOn = Set.copyOf(dependsOn);
        this.startDuration = startDuration;
        this.stopDuration = stopDuration;
        this.failure = failure;
        this.restarts = restarts;
    }

    /**
     * The worker's name.
     *
     * @return the name, as in its {@link WorkerSpec#name()}
     */
    public String name() {
        return name;
    }

    /**
     * The worker's state when the snapshot was taken.
     *
     * @return the state, never null
     */
    public WorkerState state() {
        return state;
    }

    /**
     * The names of the workers this one depends on.
     *
     * @return an unmodifiable set of names, in no particular order; empty if it depends on none
     */
    public Set<String> dependsOn() {
        return dependsOn;
    }

    /**
     * How long the start took, once it has ended (successfully or not).
     *
     * @return the start's duration, or empty while the start has not ended (or never began)
     */
    public Optional<Duration> startDuration() {
        return Optional.ofNullable(startDuration);
    }

    /**
     * How long the stop took, once it has ended (successfully or not).
     *
     * @return the stop's duration, or empty while the stop has not ended (or never began)
     */
    public Optional<Duration> stopDuration() {
        return Optional.ofNullable(stopDuration);
    }

    /**
     * The last failure: of the start or stop if the worker is {@link WorkerState#FAILED}, else
     * the last failure of its routine, if any.
     *
     * @return the failure, or empty if the worker has not failed and its routine never failed
     */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * How many times the routine has been restarted.
     *
     * @return zero or more; zero for a worker without a routine
     */
    public int restarts() {
        return restarts;
    }

    @Override
    public String toString() {
        return "WorkerInfo[" + name + " " + state + (failure == null ? "" : " " + failure) + "]";
    }
}
