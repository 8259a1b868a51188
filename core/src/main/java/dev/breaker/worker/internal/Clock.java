package dev.breaker.worker.internal;

import dev.breaker.Breaker;

import java.time.Duration;

/**
 * The worker graph's one clock: every time the engine reads ({@link #nanoTime()}) and every
 * timeout it sets on a worker (a start or stop timeout, the shutdown timeout, a restart's
 * back-off) goes through here. {@link #SYSTEM} is the monotonic clock and the library's timer
 * wheel; a test may build a graph on a clock of its own (see {@link GraphEngine#TEST_CLOCK}), so
 * that restart windows, back-offs and stop timeouts elapse when the test says, not when real
 * time has passed.
 *
 * <p>What stays on real time whatever the clock: the starvation watch of a body waiting for a
 * pooled thread ({@link WorkerThreads#STARVATION}), the idle threads' keep-alive
 * ({@link ThreadPool}), and how long the driver, or {@link WorkerThreads#close}, actually blocks
 * (a poll of the phase's queue, a {@link Thread#join}): those waits are computed from this
 * clock's readings but are real waits, bounded guards behind the breakers that do the timing.
 *
 * <p>Implementations are thread-safe: the driving thread, body threads and routine threads call
 * them concurrently.
 */
interface Clock {
    /** {@link System#nanoTime()} and the library's timer wheel. */
    Clock SYSTEM = new Clock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Breaker timeout(Breaker parent, Duration timeout) {
            return parent == null ? Breaker.byTimeout(timeout) : parent.withTimeout(timeout);
        }

        @Override
        public boolean await(Breaker breaker, Duration timeout) throws InterruptedException {
            return breaker.await(timeout);
        }

        @Override
        public String toString() {
            return "Clock.SYSTEM";
        }
    };

    /** The current time of this clock, in nanoseconds, as {@link System#nanoTime()}: only differences mean anything. */
    long nanoTime();

    /**
     * A breaker that trips with a {@link dev.breaker.BreakReason.Kind#TIMEOUT} reason once
     * {@code timeout} has elapsed on this clock, or with a {@link dev.breaker.BreakReason.Kind#PARENT}
     * reason when {@code parent} trips first: {@code parent.withTimeout(timeout)}, or
     * {@code Breaker.byTimeout(timeout)} if {@code parent} is null. The caller closes it.
     */
    Breaker timeout(Breaker parent, Duration timeout);

    /**
     * Waits until {@code breaker} trips or {@code timeout} has elapsed on this clock:
     * {@code breaker.await(timeout)}.
     *
     * @return true if {@code breaker} has tripped
     * @throws InterruptedException if the waiting thread is interrupted
     */
    boolean await(Breaker breaker, Duration timeout) throws InterruptedException;
}
