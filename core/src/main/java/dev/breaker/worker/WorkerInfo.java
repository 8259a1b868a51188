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

    public String name() {
        return name;
    }

    public WorkerState state() {
        return state;
    }

    /** The names of the workers this one depends on. */
    public Set<String> dependsOn() {
        return dependsOn;
    }

    /** How long the start took, once it has ended (successfully or not). */
    public Optional<Duration> startDuration() {
        return Optional.ofNullable(startDuration);
    }

    /** How long the stop took, once it has ended (successfully or not). */
    public Optional<Duration> stopDuration() {
        return Optional.ofNullable(stopDuration);
    }

    /**
     * The last failure: of the start or stop if the worker is {@link WorkerState#FAILED}, else
     * the last failure of its routine, if any.
     */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** How many times the routine has been restarted. */
    public int restarts() {
        return restarts;
    }

    @Override
    public String toString() {
        return "WorkerInfo[" + name + " " + state + (failure == null ? "" : " " + failure) + "]";
    }
}
