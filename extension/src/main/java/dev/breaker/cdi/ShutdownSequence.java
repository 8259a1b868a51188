package dev.breaker.cdi;

import dev.breaker.cdi.internal.WorkerLifecycle;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * Breaker's part of the application's shutdown, in the order a load balancer needs:
 *
 * <pre>
 *   announce ── readiness DOWN, everything else as before ── awaitReadinessDelay
 *            ── (the application stops accepting and finishes its requests) ── stopWorkers
 * </pre>
 *
 * <ol>
 * <li>{@link #announce}: the {@code breaker-workers} readiness check answers DOWN from now on;
 * workers keep running, breakers do not trip, jobs are still accepted.</li>
 * <li>{@link #awaitReadinessDelay}: returns once {@code breaker.shutdown.readiness-delay} has
 * passed since the announcement, long enough for health checks to take the instance out.</li>
 * <li>{@link #stopWorkers}: every breaker of the application trips and the workers stop in
 * reverse dependency order (jobs drained first), bounded by {@code breaker.shutdown.timeout}.</li>
 * </ol>
 *
 * Breaker runs this sequence by itself: the JVM shutdown hook announces (SIGTERM, SIGINT,
 * {@code System.exit}), and the container's shutdown stops the workers after the delay. Call it
 * yourself where you own the moment: a signal handler of your own (the JVM shutdown hook then runs
 * only at the very end), or an HTTP server that must stop accepting between the delay and the
 * workers' stop (on Quarkus, the extension {@code breaker-quarkus} does this for you). Every step is idempotent and the steps
 * may be skipped: {@code stopWorkers} announces and waits for the delay if that has not happened.
 *
 * <pre>{@code
 * @Inject ShutdownSequence shutdown;
 *
 * shutdown.announce("SIGTERM");     // readiness DOWN
 * shutdown.awaitReadinessDelay();   // still serving
 * httpGate.closeAndDrain();         // new requests 503, in-flight ones finish
 * shutdown.stopWorkers("SIGTERM");  // reverse order
 * }</pre>
 *
 * <p>Named ({@value #NAME}) only so that ArC keeps it when nothing injects it, for
 * {@code CDI.current().select(ShutdownSequence.class)} (ArC removes unused beans, and keeps named
 * ones). Thread-safe.
 */
@Singleton
@Named(ShutdownSequence.NAME)
public class ShutdownSequence {
    /** The bean name. */
    public static final String NAME = "dev.breaker.cdi.ShutdownSequence";

    private final WorkerLifecycle lifecycle;

    /** The container makes the one sequence; its constructor takes an internal type, so it is not public. */
    @Inject
    ShutdownSequence(WorkerLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    /**
     * Readiness goes DOWN; nothing else changes. The first call counts; later ones do nothing.
     *
     * @param reason why, for the log ({@code "SIGTERM"})
     */
    public void announce(String reason) {
        lifecycle.announce(reason);
    }

    /**
     * Whether the shutdown has been announced (readiness DOWN since).
     *
     * @return true once the shutdown has been announced, by {@link #announce(String)},
     *         {@link #awaitReadinessDelay()} or the application's own shutdown; it never becomes
     *         false again
     */
    public boolean isAnnounced() {
        return lifecycle.isAnnounced();
    }

    /**
     * Returns once {@code breaker.shutdown.readiness-delay} has passed since the announcement
     * (announcing now if nobody has); at once if it has. An interrupt ends the wait early and
     * stays set.
     */
    public void awaitReadinessDelay() {
        lifecycle.awaitReadinessDelay();
    }

    /**
     * Announces if nobody has, waits for what remains of the readiness delay, trips every
     * breaker and stops the workers in reverse order; returns when they have stopped (within
     * {@code breaker.shutdown.timeout}). Later calls, and the container's own shutdown, find them
     * stopped.
     *
     * @param reason why, for the log
     */
    public void stopWorkers(String reason) {
        lifecycle.stopWorkers(reason);
    }
}
