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
 * Every positive duration is accepted; the graph treats durations beyond 36,500 days (about
 * 100 years, the library's one cap on a duration) as 36,500 days (see {@link WorkerGraph}). A stop timeout counts from the moment the stop body begins.
 */
public final class WorkerSpec {
    /** The stop timeout of a worker that sets none: 10 s. */
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);
    /** The restarts a {@link Policy#RESTART} routine gets within the restart window by default: 5. */
    public static final int DEFAULT_MAX_RESTARTS = 5;
    /** The window in which {@link #DEFAULT_MAX_RESTARTS} restarts are counted by default: 1 minute. */
    public static final Duration DEFAULT_RESTART_WINDOW = Duration.ofMinutes(1);
    /** The back-off before the first restart in a window by default: 100 ms. */
    public static final Duration DEFAULT_BACKOFF_INITIAL = Duration.ofMillis(100);
    /** The longest back-off before a restart by default: 5 s. */
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
     * A builder for a worker named {@code name}, with every setting at its default (the class
     * comment lists them).
     *
     * @param name the worker's name: unique within its graph, used by other workers'
     *             {@link Builder#dependsOn(String...) dependsOn}, in thread names, logs, events
     *             and the {@link ShutdownReport}
     * @return a new builder
     * @throws NullPointerException     if {@code name} is null
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * The worker's name, as given to {@link #builder(String)}.
     *
     * @return the name, never blank
     */
    public String name() {
        return name;
    }

    /**
     * The names of the workers this one depends on, in the order given.
     *
     * @return an unmodifiable set of names without duplicates; empty if the worker depends on none
     */
    public Set<String> dependsOn() {
        return dependsOn;
    }

    /**
     * The worker's start, run once its dependencies are running.
     *
     * @return the start action; {@link WorkerAction#NOTHING} if none was set
     */
    public WorkerAction onStart() {
        return onStart;
    }

    /**
     * The worker's stop, run once every worker depending on it has stopped (and its routine, if
     * any, has ended).
     *
     * @return the stop action; {@link WorkerAction#NOTHING} if none was set
     */
    public WorkerAction onStop() {
        return onStop;
    }

    /**
     * The worker's supervised body, run on its own thread once the worker has started.
     *
     * @return the routine, or empty for a worker that only starts and stops
     */
    public Optional<Routine> routine() {
        return Optional.ofNullable(routine);
    }

    /**
     * How long the start may take before it is reported failed and the start is rolled back.
     *
     * @return the positive start timeout; empty when the start is unbounded (the default)
     */
    public Optional<Duration> startTimeout() {
        return Optional.ofNullable(startTimeout);
    }

    /**
     * How long the stop may take, counted from the moment the stop body begins; after it the
     * worker is reported timed out and its dependencies stop anyway.
     *
     * @return the positive stop timeout; {@link #DEFAULT_STOP_TIMEOUT} unless set
     */
    public Duration stopTimeout() {
        return stopTimeout;
    }

    /**
     * What happens when the routine returns before the worker is asked to stop.
     *
     * @return the policy; {@link Policy#NOTHING} unless set
     */
    public Policy onReturn() {
        return onReturn;
    }

    /**
     * What happens when the routine throws before the worker is asked to stop.
     *
     * @return the policy; {@link Policy#SHUTDOWN} unless set
     */
    public Policy onError() {
        return onError;
    }

    /**
     * How many restarts a {@link Policy#RESTART} routine gets within {@link #restartWindow()};
     * one more escalates to a graph shutdown.
     *
     * @return zero or more; {@link #DEFAULT_MAX_RESTARTS} unless set
     */
    public int maxRestarts() {
        return maxRestarts;
    }

    /**
     * The sliding window in which restarts are counted against {@link #maxRestarts()}.
     *
     * @return the positive window; {@link #DEFAULT_RESTART_WINDOW} unless set
     */
    public Duration restartWindow() {
        return restartWindow;
    }

    /**
     * The wait before the first restart in the window; each further restart doubles it, up to
     * {@link #backoffMax()}.
     *
     * @return zero or more; {@link #DEFAULT_BACKOFF_INITIAL} unless set
     */
    public Duration backoffInitial() {
        return backoffInitial;
    }

    /**
     * The longest wait before a restart.
     *
     * @return at least {@link #backoffInitial()}; {@link #DEFAULT_BACKOFF_MAX} unless set
     */
    public Duration backoffMax() {
        return backoffMax;
    }

    /**
     * Resources bound by {@link Builder#bind}, in order of binding.
     *
     * @return an unmodifiable list, empty if none was bound; the graph closes them in reverse order
     */
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

        /**
         * Adds workers this one depends on: it starts after they are running and stops before
         * they stop. Calls add up; a name given twice counts once.
         *
         * @param names names of other workers of the same graph
         * @return this builder
         * @throws NullPointerException     if {@code names} or a name is null
         * @throws IllegalArgumentException if a name is blank
         */
        public Builder dependsOn(String... names) {
            Objects.requireNonNull(names, () -> field("dependsOn") + " must not be null");
            return dependsOn(java.util.Arrays.asList(names));
        }

        /**
         * As {@link #dependsOn(String...)}, for a collection of names.
         *
         * @param names names of other workers of the same graph, added in iteration order
         * @return this builder
         * @throws NullPointerException     if {@code names} or a name is null
         * @throws IllegalArgumentException if a name is blank
         */
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

        /**
         * Sets the worker's start.
         *
         * @param action run once the worker's dependencies are running; replaces any earlier one
         * @return this builder
         * @throws NullPointerException if {@code action} is null
         */
        public Builder onStart(WorkerAction action) {
            onStart = Objects.requireNonNull(action, () -> field("onStart") + " must not be null");
            return this;
        }

        /**
         * Sets the worker's stop.
         *
         * @param action run when the worker stops, after every worker depending on it; replaces
         *               any earlier one
         * @return this builder
         * @throws NullPointerException if {@code action} is null
         */
        public Builder onStop(WorkerAction action) {
            onStop = Objects.requireNonNull(action, () -> field("onStop") + " must not be null");
            return this;
        }

        /**
         * Sets the worker's supervised body.
         *
         * @param routine run on its own thread once the worker has started, under the
         *                {@link #onReturn(Policy)} and {@link #onError(Policy)} policies
         * @return this builder
         * @throws NullPointerException if {@code routine} is null
         */
        public Builder routine(Routine routine) {
            this.routine = Objects.requireNonNull(routine, () -> field("routine") + " must not be null");
            return this;
        }

        /**
         * A positive start timeout, or null for none (the default).
         *
         * @param d how long the start may take, or null for no bound
         * @return this builder
         * @throws IllegalArgumentException if {@code d} is zero or negative
         */
        public Builder startTimeout(Duration d) {
            startTimeout = d == null ? null : positive("startTimeout", d);
            return this;
        }

        /**
         * A positive stop timeout; default 10 s.
         *
         * @param d how long the stop may take, counted from the moment its body begins
         * @return this builder
         * @throws NullPointerException     if {@code d} is null
         * @throws IllegalArgumentException if {@code d} is zero or negative
         */
        public Builder stopTimeout(Duration d) {
            stopTimeout = positive("stopTimeout", d);
            return this;
        }

        /**
         * Sets what happens when the routine returns before the worker is asked to stop.
         *
         * @param p the policy; default {@link Policy#NOTHING}
         * @return this builder
         * @throws NullPointerException if {@code p} is null
         */
        public Builder onReturn(Policy p) {
            onReturn = Objects.requireNonNull(p, () -> field("onReturn") + " must not be null");
            return this;
        }

        /**
         * Sets what happens when the routine throws before the worker is asked to stop.
         *
         * @param p the policy; default {@link Policy#SHUTDOWN}
         * @return this builder
         * @throws NullPointerException if {@code p} is null
         */
        public Builder onError(Policy p) {
            onError = Objects.requireNonNull(p, () -> field("onError") + " must not be null");
            return this;
        }

        /**
         * At most {@code maxRestarts} (zero or more) restarts within {@code within} (positive).
         *
         * @param maxRestarts how many restarts the window allows; zero escalates the first one
         * @param within      the sliding window in which restarts are counted
         * @return this builder
         * @throws NullPointerException     if {@code within} is null
         * @throws IllegalArgumentException if {@code maxRestarts} is negative or {@code within}
         *                                  is not positive
         */
        public Builder restartLimit(int maxRestarts, Duration within) {
            if (maxRestarts < 0) {
                throw new IllegalArgumentException(field("restartLimit") + " maxRestarts must not be negative: " + maxRestarts);
            }
            this.restartWindow = positive("restartLimit within", within);
            this.maxRestarts = maxRestarts;
            return this;
        }

        /**
         * Back-off before a restart: {@code initial} (zero or more), doubling up to {@code max}.
         *
         * @param initial the wait before the first restart in the window
         * @param max     the longest wait; at least {@code initial}
         * @return this builder
         * @throws NullPointerException     if an argument is null
         * @throws IllegalArgumentException unless {@code 0 <= initial <= max}
         */
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

        /**
         * Closed after this worker and everything depending on it stopped (reverse order of binding).
         *
         * @param resource something the worker uses, closed by the graph; a failure to close it
         *                 goes to the {@link ShutdownReport}
         * @return this builder
         * @throws NullPointerException if {@code resource} is null
         */
        public Builder bind(AutoCloseable resource) {
            resources.add(Objects.requireNonNull(resource, () -> field("bind") + " resource must not be null"));
            return this;
        }

        /**
         * Makes the spec. The builder may be changed and built again afterwards; specs already
         * built do not change.
         *
         * @return a new immutable spec with this builder's settings
         */
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
