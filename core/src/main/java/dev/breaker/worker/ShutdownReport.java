package dev.breaker.worker;

import dev.breaker.worker.internal.Pictures;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a {@link WorkerGraph} shutdown found. Immutable and thread-safe.
 */
public final class ShutdownReport {
    /** What the shutdown did with one worker. */
    public enum Outcome {
        /** Its stop returned within its stop timeout. */
        STOPPED,
        /** Its stop threw (or closing its resources did). */
        FAILED,
        /** Its stop overran its stop timeout or the shutdown timeout, and was given up on. */
        TIMED_OUT,
        /** Reached only after the shutdown timeout: its stop was never run. */
        NOT_STOPPED,
        /** It was not running (never started, or failed), so there was nothing to stop but its resources. */
        NOT_RUNNING
    }

    /**
     * When the shutdown stopped one worker and how long that took.
     *
     * @param worker    the worker's name
     * @param dependsOn the names of the workers it depends on (they stopped after it)
     * @param began     from the beginning of the shutdown to the beginning of its stop body (or,
     *                  if the body never began, to the moment the shutdown reached the worker)
     * @param took      from the beginning of its stop body to its end, or to the moment it was
     *                  given up on; zero if no body ran
     * @param outcome   what happened
     */
    public record WorkerStop(String worker, Set<String> dependsOn, Duration began, Duration took, Outcome outcome) {
        /**
         * Checks and copies the components.
         *
         * @param worker    the worker's name
         * @param dependsOn the workers it depends on
         * @param began     when its stop began, from the beginning of the shutdown
         * @param took      how long its stop body ran
         * @param outcome   what happened
         * @throws NullPointerException if a component is null
         */
        public WorkerStop {
            Objects.requireNonNull(worker, "worker");
            dependsOn = Collections.unmodifiableSet(new LinkedHashSet<>(dependsOn));
            Objects.requireNonNull(began, "began");
            Objects.requireNonNull(took, "took");
            Objects.requireNonNull(outcome, "outcome");
        }
    }

    private final Throwable cause;
    private final Map<String, Throwable> failures;
    private final Set<String> timedOut;
    private final Set<String> abandonedThreads;
    private final Duration elapsed;
    private final List<WorkerStop> stops;

    /**
     * A report that left no thread behind. The graph makes its reports; this constructor is
     * public for tests and for integrations that report on a graph's behalf.
     *
     * @param cause    why the graph shut down, or null for a plain shutdown
     * @param failures stop failures by worker name, in the order they happened; copied
     * @param timedOut names of the workers that timed out; copied
     * @param elapsed  how long the shutdown took
     * @throws NullPointerException if {@code failures}, {@code timedOut} or {@code elapsed} is null
     */
    public ShutdownReport(Throwable cause, Map<String, Throwable> failures, Set<String> timedOut,
                          Duration elapsed) {
        this(cause, failures, timedOut, Set.of(), elapsed);
    }

    /**
     * A report, with the threads it left behind.
     *
     * @param cause            why the graph shut down, or null for a plain shutdown
     * @param failures         stop failures by worker name, in the order they happened; copied
     * @param timedOut         names of the workers that timed out; copied
     * @param abandonedThreads names of the graph's threads that were given up on and were still
     *                         alive when the shutdown returned (see {@link #abandonedThreads()});
     *                         copied
     * @param elapsed          how long the shutdown took
     * @throws NullPointerException if an argument other than {@code cause} is null
     */
    public ShutdownReport(Throwable cause, Map<String, Throwable> failures, Set<String> timedOut,
                          Set<String> abandonedThreads, Duration elapsed) {
        this(cause, failures, timedOut, abandonedThreads, elapsed, List.of());
    }

    /**
     * A report with the timeline of the shutdown, one {@link WorkerStop} per worker.
     *
     * @param cause            why the graph shut down: null when asked, else the failure or abort
     * @param failures         the workers whose stop failed, with what they threw
     * @param timedOut         the workers whose stop overran its timeout, or was never reached
     * @param abandonedThreads the workers whose stop thread was left running
     * @param elapsed          how long the shutdown took
     * @param stops            what happened to each worker (see {@link #stops()})
     * @throws NullPointerException if an argument other than {@code cause} is null
     */
    public ShutdownReport(Throwable cause, Map<String, Throwable> failures, Set<String> timedOut,
                          Set<String> abandonedThreads, Duration elapsed, List<WorkerStop> stops) {
        this.stops = List.copyOf(stops);
        this.cause = cause;
        this.failures = Collections.unmodifiableMap(new LinkedHashMap<>(failures));
        this.timedOut = Collections.unmodifiableSet(new LinkedHashSet<>(timedOut));
        this.abandonedThreads = Collections.unmodifiableSet(new LinkedHashSet<>(abandonedThreads));
        this.elapsed = Objects.requireNonNull(elapsed, "elapsed");
    }

    /**
     * Why the graph shut down, if not by a plain {@link WorkerGraph#shutdown()}: the first
     * {@linkplain WorkerGraph#abort abort} cause, a routine failure that escalated, or the
     * {@link WorkerStartException} of a failed start.
     *
     * @return the cause, or empty for a shutdown that was simply asked for
     */
    public Optional<Throwable> cause() {
        return Optional.ofNullable(cause);
    }

    /**
     * Stop failures by worker name, in the order they happened: what a stop action threw, with
     * failures to close that worker's bound resources attached as suppressed (or alone). Failures
     * to close resources bound to the graph itself are under {@code "(graph)"}.
     *
     * @return an unmodifiable map, in the order the failures happened; empty if every stop and
     *         close succeeded
     */
    public Map<String, Throwable> failures() {
        return failures;
    }

    /**
     * Workers whose stop overran its stop timeout or the shutdown timeout, and workers that
     * were still starting, or not yet stopped, when the shutdown timeout elapsed.
     *
     * @return an unmodifiable set of worker names; empty if every worker stopped in time
     */
    public Set<String> timedOut() {
        return timedOut;
    }

    /**
     * The names of the graph's threads that were given up on and were still alive when the
     * shutdown returned: the start, stop, routine or job threads of workers that overran their
     * timeout and ignored both their breaker and the interrupt that followed (a thread running a
     * stop is named {@code breaker-worker-stop-<worker>}, one running a start
     * {@code breaker-worker-start-<worker>}). The shutdown did not wait for them; they end
     * whenever the user code they run returns. Empty in a shutdown that waited for every thread.
     *
     * @return an unmodifiable set of thread names, as they were when the shutdown returned
     */
    public Set<String> abandonedThreads() {
        return abandonedThreads;
    }

    /**
     * From the moment shutdown began to the moment every thread of the graph had ended, except
     * the {@linkplain #abandonedThreads() abandoned} ones, which are not waited for.
     *
     * @return how long the shutdown took
     */
    public Duration elapsed() {
        return elapsed;
    }

    /**
     * What the shutdown did with each worker, job runners included, in the graph's declaration
     * order: the timeline of the shutdown. Empty in a report made without one.
     *
     * @return the stops, one per worker, in declaration order (an unmodifiable list)
     */
    public List<WorkerStop> stops() {
        return stops;
    }

    /**
     * The timeline of this shutdown as a <a href="https://mermaid.js.org/syntax/gantt.html">Mermaid
     * Gantt chart</a> (GitHub and most Markdown viewers draw it): one bar per worker whose stop
     * ran, from the beginning of its stop to its end, in milliseconds since the shutdown began,
     * labelled with its duration; bars of stops that overran are marked {@code crit} (red) and
     * failed ones {@code active}; workers that were not stopped are listed as milestones. Empty of
     * bars if the report has no {@link #stops()}.
     *
     * @return the Mermaid source of the chart
     */
    public String toMermaidGantt() {
        return Pictures.gantt(this);
    }

    /**
     * No cause, no failure, no timeout (and so no abandoned thread).
     *
     * @return true if the graph was shut down on request and every worker stopped in time
     *         without failing
     */
    public boolean clean() {
        return cause == null && failures.isEmpty() && timedOut.isEmpty() && abandonedThreads.isEmpty();
    }

    @Override
    public String toString() {
        return "ShutdownReport[elapsed=" + elapsed + (cause == null ? "" : ", cause=" + cause)
                + (failures.isEmpty() ? "" : ", failures=" + failures.keySet())
                + (timedOut.isEmpty() ? "" : ", timedOut=" + timedOut)
                + (abandonedThreads.isEmpty() ? "" : ", abandonedThreads=" + abandonedThreads) + "]";
    }
}
