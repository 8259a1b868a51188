package dev.breaker.worker.internal;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;
import dev.breaker.internal.ManualBreaker;
import dev.breaker.worker.WorkerGraph;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A {@link Clock} for tests: its time moves only when the test calls {@link #advance}, which
 * trips every timeout whose deadline it reaches. A graph takes it through {@link #build}; the
 * public API knows nothing of it.
 *
 * <p>A timeout is a {@link Breaker#manual()} breaker that this clock trips with a
 * {@link BreakReason.Kind#TIMEOUT} reason, and that trips with a {@link BreakReason.Kind#PARENT}
 * reason when its parent does, as {@code parent.withTimeout(d)} would. A timeout is
 * <em>pending</em> from its creation until it trips, for whatever reason (closing it included).
 *
 * <p>Thread-safe: its state is guarded by {@code this}, whose monitor {@link #awaitPending}
 * waits on; breakers are tripped outside it.
 */
public final class FakeClock implements Clock {
    /** How long, in real time, {@link #awaitPending} waits for the engine before it fails. */
    private static final long REAL_WAIT_NANOS = Duration.ofSeconds(10).toNanos();

    private final class Timer {
        final ManualBreaker breaker;
        final Duration timeout;
        final long deadline;

        Timer(ManualBreaker breaker, Duration timeout, long deadline) {
            this.breaker = breaker;
            this.timeout = timeout;
            this.deadline = deadline;
        }
    }

    private long now = 1_000_000_000_000L;        // guarded by this; any value: only differences count
    private final List<Timer> pending = new ArrayList<>(); // guarded by this, in creation order

    /**
     * Builds {@code builder}'s graph on this clock.
     *
     * @param builder a graph's builder
     * @return the graph, whose times and timeouts are this clock's
     */
    public WorkerGraph build(WorkerGraph.Builder builder) {
        GraphEngine.TEST_CLOCK.set(this);
        try {
            return builder.build();
        } finally {
            GraphEngine.TEST_CLOCK.remove();
        }
    }

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public Breaker timeout(Breaker parent, Duration timeout) {
        ManualBreaker b = (ManualBreaker) Breaker.manual();
        Timer t;
        synchronized (this) {
            t = new Timer(b, timeout, now + Time.nanos(timeout));
            pending.add(t);
            notifyAll();
        }
        b.onBreak(() -> {
            synchronized (this) {
                pending.remove(t);
                notifyAll();
            }
        });
        if (parent != null) {
            Breaker.Registration link = parent.onBreak(
                    () -> b.tripAs(BreakReason.parent(parent.reason().orElse(BreakReason.CLOSED))));
            b.onBreak(link::close); // a closed child no longer hangs on its parent
        }
        if (timeout.isZero()) {
            b.tripAs(BreakReason.timeout(timeout));
        }
        return b;
    }

    @Override
    public boolean await(Breaker breaker, Duration timeout) throws InterruptedException {
        try (Breaker t = timeout(breaker, timeout)) {
            t.await();
        }
        return breaker.isBroken();
    }

    /**
     * Moves the time on by {@code d} and trips, in deadline order, every pending timeout whose
     * deadline that reaches; timeouts created meanwhile (by what the trips set off) count from the
     * new time.
     *
     * @param d how far; not negative
     */
    public void advance(Duration d) {
        List<Timer> due = new ArrayList<>();
        synchronized (this) {
            now += d.toNanos();
            for (Timer t : pending) {
                if (now - t.deadline >= 0) {
                    due.add(t);
                }
            }
        }
        due.sort((a, b) -> Long.compare(a.deadline - b.deadline, 0));
        for (Timer t : due) {
            t.breaker.tripAs(BreakReason.timeout(t.timeout));
        }
    }

    /**
     * The pending timeouts' durations, in creation order.
     *
     * @return a snapshot
     */
    public synchronized List<Duration> pending() {
        List<Duration> list = new ArrayList<>(pending.size());
        for (Timer t : pending) {
            list.add(t.timeout);
        }
        return list;
    }

    /**
     * Waits (on this clock's monitor, at most 10 s of real time) until the pending timeouts'
     * durations, in creation order, satisfy {@code condition}. The condition is tested again only
     * when a timeout is created or trips: it may read other state only if that is written before
     * the timeout it waits for is created.
     *
     * @param what      what is waited for, for the failure's message
     * @param condition over {@link #pending()}
     * @return the pending durations that satisfied it
     * @throws AssertionError       if they did not in time
     * @throws InterruptedException if interrupted
     */
    public synchronized List<Duration> awaitPending(String what, Predicate<List<Duration>> condition)
            throws InterruptedException {
        long end = System.nanoTime() + REAL_WAIT_NANOS;
        while (!condition.test(pending())) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("timed out waiting for " + what + "; pending: " + pending());
            }
            wait(left / 1_000_000L + 1);
        }
        return pending();
    }

    /**
     * Waits (as {@link #awaitPending(String, Predicate)}) until a timeout of {@code d} is pending.
     *
     * @param d the timeout's duration
     * @throws InterruptedException if interrupted
     */
    public void awaitPending(Duration d) throws InterruptedException {
        awaitPending("a pending timeout of " + d, p -> p.contains(d));
    }
}
