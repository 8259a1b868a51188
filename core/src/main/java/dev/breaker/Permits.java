package dev.breaker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A counting semaphore whose waits are bounded by a {@link Breaker}: the Java form of Go's
 * {@code semaphore.Acquire(breaker, n)}. {@link #acquire(Breaker, int)} returns a {@link Permit}
 * that gives the permits back when closed, or throws a {@link BrokenException} as soon as the
 * breaker trips.
 *
 * <pre>{@code
 * Permits connections = new Permits(10);
 * try (Breaker breaker = Breaker.byTimeout(Duration.ofSeconds(2));
 *      Permits.Permit permit = connections.acquire(breaker, 5)) {
 *     bulkLoad();
 * }
 * }</pre>
 *
 * <h2>Fairness</h2>
 * Strictly first in, first out. Waiting callers are served in the order they started to wait;
 * a caller asking for more permits than are free waits, and so does every caller behind it, even
 * one that asks for fewer (no barging, so a large request is never starved by small ones). Only
 * when nobody waits does {@link #acquire} take free permits at once, and {@link #tryAcquire}
 * likewise succeeds only when nobody waits. A waiter that leaves (its breaker tripped, or it was
 * interrupted) lets the callers behind it be served.
 *
 * <h2>Trips racing grants</h2>
 * A waiter's permits are granted (by a {@link Permit#close()}, or by another waiter leaving) and
 * its breaker's trip takes it out of the queue under one lock, so exactly one of them happens:
 * either the permits were granted first, and {@link #acquire} returns them to its caller (even
 * if the breaker has tripped meanwhile), or the trip came first, and the waiter leaves holding
 * nothing. No permit is ever lost or granted twice.
 *
 * <h2>Cost</h2>
 * An acquire that finds its permits free while nobody waits takes no lock and registers nothing:
 * one compare-and-set on the count, as {@link java.util.concurrent.Semaphore} does; closing its
 * {@link Permit} is one compare-and-set on the permit and one atomic add on the count. One that waits
 * registers one {@link Breaker#onBreak} action, and removes it before it returns (unless the
 * trip has run it, and so dropped it, already), so a long-lived breaker used for any number of
 * acquires keeps no reference to them. If the breaker is tripping, on another thread, just as the
 * permits are granted, the acquire returns once that trip's actions have run (the contract of
 * {@link Breaker.Registration#close()}).
 *
 * <h2>Thread safety</h2>
 * Every method is safe from any thread, concurrently. The count is an atomic integer: taken by a
 * compare-and-set (the fast path, only while the queue is empty, and the grants), given back by an
 * atomic add. The queue is guarded by one {@link ReentrantLock} (so virtual threads do not pin
 * while they wait; they park, they do not hold the lock); no user code runs under it. No wake-up
 * is lost between a lock-free release and a waiter joining the queue: the releaser adds to the
 * count and then reads the queue's head, the waiter writes the head and then reads the count
 * (all volatile, so sequentially consistent), so at least one of them sees the other and serves
 * the waiter under the lock. A {@link Permit} may be closed from any thread,
 * also from another than the one that acquired it.
 */
public final class Permits {
    private final int total;
    private static final VarHandle AVAILABLE;

    static {
        try {
            AVAILABLE = MethodHandles.lookup().findVarHandle(Permits.class, "available", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    /** Free permits; changed only atomically ({@link #AVAILABLE}), read without the lock. */
    @SuppressWarnings("unused") // also through AVAILABLE
    private volatile int available;
    /** The queue of waiters, oldest first; written under {@link #lock}, read without it (volatile). */
    private volatile Waiter head;
    /** The last waiter; guarded by {@link #lock}. */
    private Waiter tail;

    /**
     * A semaphore with {@code total} permits, all free.
     *
     * @param total how many permits there are; at least 1
     * @throws IllegalArgumentException if {@code total} is below 1
     */
    public Permits(int total) {
        if (total < 1) {
            throw new IllegalArgumentException("total must be at least 1: " + total);
        }
        this.total = total;
        this.available = total;
    }

    /**
     * Takes {@code n} permits, waiting (in the FIFO order of the class comment) until they are
     * free or {@code breaker} trips, whichever comes first. Takes nothing, and throws at once,
     * if the breaker has tripped already. A waiter granted its permits just as the breaker trips
     * returns them; the class comment says why that is never ambiguous.
     *
     * @param breaker bounds the wait
     * @param n       how many permits, from 1 to the total
     * @return the permits, to {@linkplain Permit#close() close} once (try-with-resources)
     * @throws BrokenException          carrying the breaker's reason, if it tripped before the
     *                                  permits were granted; nothing is then held
     * @throws InterruptedException     if the thread is interrupted while waiting (or was when it
     *                                  began to wait); nothing is then held
     * @throws NullPointerException     if {@code breaker} is null
     * @throws IllegalArgumentException if {@code n} is below 1 or above the total
     */
    public Permit acquire(Breaker breaker, int n) throws InterruptedException {
        Objects.requireNonNull(breaker, "breaker must not be null");
        check(n);
        return acquireResolved(dev.breaker.internal.BreakerHandle.resolve(breaker), n); // a handle: this thread's breaker
    }

    private Permit acquireResolved(Breaker breaker, int n) throws InterruptedException {
        breaker.throwIfBroken();
        if (takeIfNobodyWaits(n)) {
            return new Permit(this, n);
        }
        Waiter w;
        lock.lock();
        try {
            if (takeIfNobodyWaits(n)) {
                return new Permit(this, n);
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            w = new Waiter(n, Thread.currentThread());
            enqueue(w);
            grant(); // permits given back without the lock just before the enqueue: see the class comment
            if (w.state == Waiter.GRANTED) {
                return new Permit(this, n);
            }
        } finally {
            lock.unlock();
        }
        // after the enqueue, outside the lock: on a tripped breaker the action runs here, at once
        Breaker.Registration registration;
        try {
            registration = breaker.onBreak(() -> leave(w, Waiter.BROKEN));
        } catch (RuntimeException | Error e) {
            abandon(w);
            throw e;
        }
        boolean interrupted = false;
        try {
            while (w.state == Waiter.WAITING) {
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    interrupted = true;
                    leave(w, Waiter.INTERRUPTED);
                }
            }
            if (w.state != Waiter.BROKEN) {
                // the action has not run (or is running now): remove it, or wait until it has
                // run; once it has run (BROKEN), the trip has dropped it already
                registration.close();
            }
        } catch (RuntimeException | Error e) {
            abandon(w); // whatever happened, this caller holds nothing
            try {
                registration.close();
            } catch (RuntimeException | Error again) {
                e.addSuppressed(again);
            }
            throw e;
        }
        switch (w.state) {
            case Waiter.GRANTED:
                if (interrupted) {
                    Thread.currentThread().interrupt(); // too late to refuse: keep it for later
                }
                return new Permit(this, n);
            case Waiter.BROKEN:
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
                throw new BrokenException(breaker.reason().orElseThrow(() -> new IllegalStateException(
                        "the breaker ran its onBreak action while live: " + breaker)));
            default:
                throw new InterruptedException();
        }
    }

    /**
     * Takes {@code n} permits if they are free and nobody waits; never waits.
     *
     * @param n how many permits, from 1 to the total
     * @return the permits, or empty if they were not all free at once (then nothing is taken)
     * @throws IllegalArgumentException if {@code n} is below 1 or above the total
     */
    public Optional<Permit> tryAcquire(int n) {
        check(n);
        return takeIfNobodyWaits(n) ? Optional.of(new Permit(this, n)) : Optional.empty();
    }

    /** Takes {@code n} permits without the lock if nobody waits and they are free; never waits. */
    private boolean takeIfNobodyWaits(int n) {
        while (head == null) {
            int a = available;
            if (a < n) {
                return false;
            }
            if (AVAILABLE.compareAndSet(this, a, a - n)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The number of permits free now (a snapshot, for monitoring and tests).
     *
     * @return the free permits, from 0 to the total; it may have changed by the time it is read
     */
    public int available() {
        return available;
    }

    /**
     * The number of permits given to the constructor.
     *
     * @return the total, at least 1; it never changes
     */
    public int total() {
        return total;
    }

    private void check(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1: " + n);
        }
        if (n > total) {
            throw new IllegalArgumentException("n must not exceed the total of " + total + " permits: " + n);
        }
    }

    /** Gives back {@code n} permits and grants them on to the waiters they now satisfy. */
    private void release(int n) {
        AVAILABLE.getAndAdd(this, n);
        if (head != null) { // read after the add: see the class comment
            lock.lock();
            try {
                grant();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Takes {@code w} out of the queue as {@code why} if it is still waiting; else (it was
     * granted, or left already) does nothing. The waiters behind it may now be served.
     */
    private void leave(Waiter w, int why) {
        lock.lock();
        try {
            if (w.state != Waiter.WAITING) {
                return;
            }
            unlink(w);
            w.state = why;
            grant();
        } finally {
            lock.unlock();
        }
        if (w.thread != Thread.currentThread()) {
            LockSupport.unpark(w.thread);
        }
    }

    /**
     * For an acquire that fails unexpectedly (an {@link Error}, a breaker that throws): takes
     * {@code w} out of the queue, or gives back what it was granted, so that it holds nothing.
     */
    private void abandon(Waiter w) {
        lock.lock();
        try {
            int was = w.state;
            if (was == Waiter.WAITING) {
                unlink(w);
            } else if (was == Waiter.GRANTED) {
                AVAILABLE.getAndAdd(this, w.n);
            } else {
                return;
            }
            w.state = Waiter.ABANDONED;
            grant();
        } finally {
            lock.unlock();
        }
    }

    /** Serves the queue in order while the oldest waiter's request fits; holds the lock. */
    private void grant() {
        Waiter w;
        while ((w = head) != null) {
            int a = available;
            if (a < w.n) {
                return;
            }
            if (!AVAILABLE.compareAndSet(this, a, a - w.n)) {
                continue; // a lock-free acquire that saw an empty queue just before took some
            }
            unlink(w);
            w.state = Waiter.GRANTED; // volatile: the waiter may return as soon as it sees this
            if (w.thread != Thread.currentThread()) {
                LockSupport.unpark(w.thread);
            }
        }
    }

    private void enqueue(Waiter w) {
        if (tail == null) {
            head = w;
        } else {
            tail.next = w;
            w.prev = tail;
        }
        tail = w;
    }

    private void unlink(Waiter w) {
        Waiter p = w.prev;
        Waiter s = w.next;
        if (p == null) {
            head = s;
        } else {
            p.next = s;
        }
        if (s == null) {
            tail = p;
        } else {
            s.prev = p;
        }
        w.prev = null;
        w.next = null;
    }

    @Override
    public String toString() {
        return "Permits[" + available() + " of " + total + " free]";
    }

    /** One waiting acquire; its links are guarded by the lock, its state leaves WAITING once. */
    private static final class Waiter {
        static final int WAITING = 0;
        static final int GRANTED = 1;
        static final int BROKEN = 2;
        static final int INTERRUPTED = 3;
        static final int ABANDONED = 4;

        final int n;
        final Thread thread;
        /** Written under the lock, read by the waiter without it. */
        volatile int state;
        Waiter prev;
        Waiter next;

        Waiter(int n, Thread thread) {
            this.n = n;
            this.thread = thread;
        }
    }

    /**
     * Permits held by one caller. {@link #close()} gives them back exactly once: the first call
     * releases them, later calls (from any thread) do nothing.
     *
     * <p>Thread safety: safe from any thread; the release is decided by one compare-and-set.
     */
    public static final class Permit implements AutoCloseable {
        private static final VarHandle CLOSED;

        static {
            try {
                CLOSED = MethodHandles.lookup().findVarHandle(Permit.class, "closed", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final Permits owner;
        private final int count;
        @SuppressWarnings("unused") // through CLOSED
        private volatile boolean closed;

        private Permit(Permits owner, int count) {
            this.owner = owner;
            this.count = count;
        }

        /**
         * How many permits this holds (until closed).
         *
         * @return the number acquired, which this reports also after {@link #close()}
         */
        public int count() {
            return count;
        }

        /** Gives the permits back, if this is the first call; otherwise does nothing. */
        @Override
        public void close() {
            if (CLOSED.compareAndSet(this, false, true)) {
                owner.release(count);
            }
        }

        @Override
        public String toString() {
            return "Permit[" + count + (closed ? ", closed]" : "]");
        }
    }
}
