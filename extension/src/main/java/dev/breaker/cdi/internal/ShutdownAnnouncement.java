package dev.breaker.cdi.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The first moment of shutdown and the readiness delay that follows it. Whoever learns first that
 * the application is going down (the JVM shutdown hook at SIGTERM, the runtime's own shutdown
 * notice, the container's destruction) {@linkplain #announce announces} it: from then on
 * readiness is DOWN, so that load balancers take the instance out, while everything else goes on
 * as before. Whoever is about to stop the workers first {@linkplain #awaitDelay waits} until
 * {@code breaker.shutdown.readiness-delay} has passed since that moment. A runtime that waits by
 * itself between its notice and its destruction (Quarkus' {@code quarkus.shutdown.delay}) has
 * used the delay up by then, so the wait here is what remains of it, if anything.
 *
 * <pre>
 *   NOT ANNOUNCED --announce(by)--> ANNOUNCED (readiness DOWN) --delay passed--> awaitDelay() returns
 * </pre>
 *
 * <p>Thread-safe: the announcement is one compare-and-set; any number of threads may wait.
 */
final class ShutdownAnnouncement {
    /** The time source, replaceable in tests. */
    interface Clock {
        Clock SYSTEM = new Clock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleep(long nanos) throws InterruptedException {
                TimeUnit.NANOSECONDS.sleep(nanos);
            }
        };

        long nanoTime();

        void sleep(long nanos) throws InterruptedException;
    }

    /** Who announced the shutdown, and when ({@link Clock#nanoTime()}). */
    record Announced(String by, long atNanos) {
    }

    private final Clock clock;
    private final AtomicReference<Announced> announced = new AtomicReference<>();
    private volatile Duration delay = Duration.ZERO;

    ShutdownAnnouncement() {
        this(Clock.SYSTEM);
    }

    ShutdownAnnouncement(Clock clock) {
        this.clock = clock;
    }

    /** Sets the readiness delay (from the configuration, once known). */
    void delay(Duration delay) {
        this.delay = delay;
    }

    Duration delay() {
        return delay;
    }

    /** Announces the shutdown; true for the first announcement, false (and nothing changes) after it. */
    boolean announce(String by) {
        return announced.compareAndSet(null, new Announced(by, clock.nanoTime()));
    }

    boolean isAnnounced() {
        return announced.get() != null;
    }

    Optional<Announced> announced() {
        return Optional.ofNullable(announced.get());
    }

    /** How long until the delay has passed since the announcement (the whole delay if none yet); never negative. */
    long remainingNanos() {
        Announced a = announced.get();
        long d = delay.toNanos();
        if (a == null) {
            return d;
        }
        return Math.max(0, d - (clock.nanoTime() - a.atNanos()));
    }

    /**
     * Announces the shutdown if nobody has ({@code by}), then returns once the readiness delay has
     * passed since the announcement; at once if it has. An interrupt ends the wait early and
     * stays set on the thread.
     *
     * @return how long this call waited, in nanoseconds
     */
    long awaitDelay(String by) {
        announce(by);
        long start = clock.nanoTime();
        for (long left = remainingNanos(); left > 0; left = remainingNanos()) {
            try {
                clock.sleep(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return clock.nanoTime() - start;
    }
}
