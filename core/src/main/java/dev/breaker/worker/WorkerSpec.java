package dev.breaker.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How to run one worker: its name, what it depends on, its start and stop, its optional
 * {@link Routine} and how that routine is supervised. Immutable and thread-safe; the
 * {@link Builder} is not thread-safe.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><td>start / stop</td><td>do nothing</td></tr>
 *   <tr><td>start timeout</td><td>none: a start may take as long as it needs, but its breaker
 *       trips when shutdown begins, and a shutdown during start waits for it only up to its stop
 *       timeout (and never past the shutdown timeout)</td></tr>
 *   <tr><td>stop timeout</td><td>10 s</td></tr>
 *   <tr><td>routine returns / throws</td><td>{@link Policy#NOTHING} / {@link Policy#SHUTDOWN}</td></tr>
 *   <tr><td>restart limit</td><td>5 restarts within 1 minute</td></tr>
 *   <tr><td>back-off</td><td>100 ms, doubling with each restart in the window, at most 5 s</td></tr>
 * </table>
 *
 * Every positive duration is accepted; the graph treats durations beyond about 73 years as 73
 * years (see {@link WorkerGraph}). A stop timeout counts from the moment the stop body begins.
 */
public final class WorkerSpec {
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_RESTARTS = 5;
    public static final Duration DEFAULT_RESTART_WINDOW = Duration.ofMinutes(1);
    public static final Duration DEFAULT_BACKOFF_INITIAL = Duration.ofMillis(100);
    public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(5);

    private final String name;
    private final Set<String> dependsOn;
    private final WorkerAction onStart;
    private final WorkerAction onStop;
    private final Routine routine;
    private final Duration startTimeout;
    private final Duration stopTimeout;
    private final Policy onReturn;
    private final Policy onError;
    private final int maxRestarts;
    private final Duration restartWindow;
    private final Duration backoffInitial;
    private final Duration backoffMax;
    private final List<AutoCloseable> resources;

    private WorkerSpec(Builder b) {
        name = b.name;
        dependsOn = Collections.unmodifiableSet(new LinkedHashSet<>(b.dependsOn));
        onStart = b.onStart;
        onStop = b.onStop;
        routine = b.routine;
        startTimeout = b.startTimeout;
        stopTimeout = b.stopTimeout;
        onReturn = b.onReturn;
        onError = b.onError;
        maxRestarts = b.maxRestarts;
        restartWindow = b.restartWindow;
        backoffInitial = b.backoffInitial;
        backoffMax = b.backoffMax;
        resources = List.copyOf(b.resources);
    }

    /**
     * @throws NullPointerException     if {@code name} is null
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    /** The names of the workers this one depends on, in the order given. */
    public Set<String> dependsOn() {
        return dependsOn;
    }

    public WorkerAction onStart() {
        return onStart;
    }

    public WorkerAction onStop() {
        return onStop;
    }

    public Optional<Routine> routine() {
        return Optional.ofNullable(routine);
    }

    /** Empty when the start is unbounded (the default). */
    public Optional<Duration> startTimeout() {
        return Optional.ofNullable(startTimeout);
    }

    public Duration stopTimeout() {
        return stopTimeout;
    }

    public Policy onReturn() {
        return onReturn;
    }

    public Policy onError() {
        return onError;
    }

    public int maxRestarts() {
        return maxRestarts;
    }

    public Duration restartWindow() {
        return restartWindow;
    }

    public Duration backoffInitial() {
        return backoffInitial;
    }

    public Duration backoffMax() {
        return backoffMax;
    }

    /** Resources bound by {@link Builder#bind}, in order of binding. */
    public List<AutoCloseable> resources() {
        return resources;
    }

    @Override
    public String toString() {
        return "WorkerSpec[" + name + (dependsOn.isEmpty() ? "" : " -> " + dependsOn) + "]";
    }

    /** Builds a {@link WorkerSpec}. Every setter checks its argument at once. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final Set<String> dependsOn = new LinkedHashSet<>();
        private WorkerAction onStart = WorkerAction.NOTHING;
        private WorkerAction onStop = WorkerAction.NOTHING;
        private Routine routine;
        private Duration startTimeout;
        private Duration stopTimeout = DEFAULT_STOP_TIMEOUT;
        private Policy onReturn = Policy.NOTHING;
        private Policy onError = Policy.SHUTDOWN;
        private int maxRestarts = DEFAULT_MAX_RESTARTS;
        private Duration restartWindow = DEFAULT_RESTART_WINDOW;
        private Duration backoffInitial = DEFAULT_BACKOFF_INITIAL;
        private Duration backoffMax = DEFAULT_BACKOFF_MAX;
        private final List<AutoCloseable> resources = new ArrayList<>();

        private Builder(String name) {
            Objects.requireNonNull(name, "worker name must not be null");
            if (name.isBlank()) {
                throw new IllegalArgumentException("worker name must not be blank: '" + name + "'");
            }
            this.name = name;
        }

        public Builder dependsOn(String... names) {
            Objects.requireNonNull(names, () -> field("dependsOn") + " must not be null");
            return dependsOn(java.util.Arrays.asList(names));
        }

        public Builder dependsOn(Collection<String> names) {
            Objects.requireNonNull(names, () -> field("dependsOn") + " must not be null");
            for (String n : names) {
                Objects.requireNonNull(n, () -> field("dependsOn") + " must not contain null");
                if (n.isBlank()) {
                    throw new IllegalArgumentException(field("dependsOn") + " must not contain a blank name");
                }
            }
            dependsOn.addAll(names);
            return this;
        }

        public Builder onStart(WorkerAction action) {
            onStart = Objects.requireNonNull(action, () -> field("onStart") + " must not be null");
            return this;
        }

        public Builder onStop(WorkerAction action) {
            onStop = Objects.requireNonNull(action, () -> field("onStop") + " must not be null");
            return this;
        }

        public Builder routine(Routine routine) {
            this.routine = Objects.requireNonNull(routine, () -> field("routine") + " must not be null");
            return this;
        }

        /** A positive start timeout, or null for none (the default). */
        public Builder startTimeout(Duration d) {
            startTimeout = d == null ? null : positive("startTimeout", d);
            return this;
        }

        /** A positive stop timeout; default 10 s. */
        public Builder stopTimeout(Duration d) {
            stopTimeout = positive("stopTimeout", d);
            return this;
        }

        public Builder onReturn(Policy p) {
            onReturn = Objects.requireNonNull(p, () -> field("onReturn") + " must not be null");
            return this;
        }

        public Builder onError(Policy p) {
            onError = Objects.requireNonNull(p, () -> field("onError") + " must not be null");
            return this;
        }

        /** At most {@code maxRestarts} (zero or more) restarts within {@code within} (positive). */
        public Builder restartLimit(int maxRestarts, Duration within) {
            if (maxRestarts < 0) {
                throw new IllegalArgumentException(field("restartLimit") + " maxRestarts must not be negative: " + maxRestarts);
            }
            this.restartWindow = positive("restartLimit within", within);
            this.maxRestarts = maxRestarts;
            return this;
        }

        /** Back-off before a restart: {@code initial} (zero or more), doubling up to {@code max}. */
        public Builder backoff(Duration initial, Duration max) {
            Objects.requireNonNull(initial, () -> field("backoff initial") + " must not be null");
            Objects.requireNonNull(max, () -> field("backoff max") + " must not be null");
            if (initial.isNegative() || max.compareTo(initial) < 0) {
                throw new IllegalArgumentException(field("backoff") + " needs 0 <= initial <= max, got "
                        + initial + " and " + max);
            }
            backoffInitial = initial;
            backoffMax = max;
            return this;
        }

        /** Closed after this worker and everything depending on it stopped (reverse order of binding). */
        public Builder bind(AutoCloseable resource) {
            resources.add(Objects.requireNonNull(resource, () -> field("bind") + " resource must not be null"));
            return this;
        }

        public WorkerSpec build() {
            return new WorkerSpec(this);
        }

        private Duration positive(String what, Duration d) {
            Objects.requireNonNull(d, () -> field(what) + " must not be null");
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(field(what) + " must be positive, got " + d);
            }
            return d;
        }

        private String field(String what) {
            return "worker '" + name + "': " + what;
        }
    }
}
