package dev.breaker.internal;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;
import dev.breaker.BrokenException;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;

/**
 * The state machine shared by every breaker: live until {@link #trip(BreakReason)} wins the one
 * compare-and-set of {@link #reason}, then tripped forever.
 *
 * <p>Thread safety: {@link #reason} is written once by CAS and read with a plain volatile read.
 * The listener list (which also holds the stage of {@link #done()}) is changed only under
 * {@code this}; its {@link #head} is volatile so that a trip can see without the lock that there
 * is nothing to run (the per-request create-and-close path). A registration links its node under
 * the lock if the breaker is live, then reads the reason again: if a trip came in between and
 * found the list empty, the registration takes its node back and runs its action itself. So
 * every action runs exactly once. After the CAS, {@link #head} goes from the list (or null) to
 * {@link #TRIPPING} while the detached actions run, then to null: {@link #awaitSettled()} waits
 * for null. Subclasses release their resources in {@link #release()}, which runs exactly once,
 * on the thread that tripped the breaker, before any action.
 */
public abstract class AbstractBreaker implements Breaker {
    static final System.Logger LOG = System.getLogger("dev.breaker");

    private static final VarHandle REASON;
    /** {@link #head} while the actions of the trip are running (the list is detached). */
    private static final Listener TRIPPING = new Listener(null, null);

    static {
        try {
            REASON = MethodHandles.lookup().findVarHandle(AbstractBreaker.class, "reason", BreakReason.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile BreakReason reason;
    /** Head of the doubly linked list of live registrations; guarded by {@code this}. */
    private volatile Listener head;

    @Override
    public final boolean isBroken() {
        return reason != null;
    }

    @Override
    public final Optional<BreakReason> reason() {
        return Optional.ofNullable(reason);
    }

    /** The reason, or null while live. */
    public final BreakReason reasonOrNull() {
        return reason;
    }

    @Override
    public final void throwIfBroken() {
        BreakReason r = reason;
        if (r != null) {
            throw new BrokenException(r);
        }
    }

    /**
     * Trips this breaker with {@code why} if it is live: releases its resources, then runs every
     * registered action (see the class comment for where). Safe from any thread; never waits.
     *
     * @return true if this call tripped it, false if it had tripped already
     */
    public final boolean trip(BreakReason why) {
        Objects.requireNonNull(why, "reason");
        if (!REASON.compareAndSet(this, null, why)) {
            return false;
        }
        try {
            release();
        } catch (Throwable t) {
            reportQuietly(t, "releasing");
        }
        if (head == null) {
            // no action, and none can come: a link() that publishes after this read sees the
            // reason when it looks again, and takes its node back (see link)
            return true;
        }
        Runnable[] actions;
        synchronized (this) {
            if (head == null) {
                return true;
            }
            int n = 0;
            for (Listener l = head; l != null; l = l.next) {
                n++;
            }
            actions = new Runnable[n];
            int i = 0;
            for (Listener l = head; l != null; ) {
                Listener next = l.next;
                actions[i++] = l.action;
                l.unlinked();
                l = next;
            }
            head = TRIPPING;
        }
        Throwable fatal = TripLoop.current().run(this, actions);
        if (fatal != null) {
            throw (VirtualMachineError) fatal;
        }
        return true;
    }

    /** Every action of the trip has run: wakes whoever waits in {@link #awaitSettled()}. */
    final void settle() {
        synchronized (this) {
            head = null;
            notifyAll();
        }
    }

    /**
     * Waits until the actions of this breaker's trip have all run, or until {@code deadlineNanos}
     * ({@link System#nanoTime()}) passes, whichever is first; true if they have run. Returns at
     * once from inside an action, and early if the waiting thread is interrupted (the interrupt
     * status is kept).
     */
    final boolean awaitSettled(long deadlineNanos) {
        synchronized (this) {
            if (TripLoop.inAction()) {
                return head == null;
            }
            while (head != null && reason != null) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Waits until the actions of a trip that another thread is running have all run. Returns at
     * once when called from inside an action (where waiting could deadlock), and early, with the
     * interrupt status set, if the waiting thread is interrupted.
     */
    final void awaitSettled() {
        synchronized (this) {
            // after the trip's CAS, head is the list until detached, then TRIPPING, then null
            if (head == null || reason == null || TripLoop.inAction()) {
                return;
            }
            while (head != null) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Frees what this breaker holds (timer entry, signal handler, registrations). Runs once. */
    protected void release() {
    }

    /**
     * Trips with {@link BreakReason#CLOSED} if live. If another thread is running this breaker's
     * actions, waits until they have run (see {@link #awaitSettled()}).
     */
    @Override
    public void close() {
        if (!trip(BreakReason.CLOSED)) {
            awaitSettled();
        }
    }

    @Override
    public final Registration onBreak(Runnable action) {
        Objects.requireNonNull(action, "action");
        Listener l = new Listener(this, action);
        if (link(l)) {
            return l;
        }
        Throwable fatal = runQuietly(action);
        if (fatal != null) {
            throw (VirtualMachineError) fatal;
        }
        return Listener.NONE;
    }

    /**
     * Links a prepared listener node whose owner is this breaker, unless this breaker has
     * tripped; then the node stays unlinked and its action is not run.
     *
     * @return whether the node was linked
     */
    final boolean link(Listener l) {
        synchronized (this) {
            if (reason != null) {
                return false;
            }
            Listener first = head;
            l.next = first;
            if (first != null) {
                first.prev = l;
            }
            head = l;
        }
        // trip() reads head without the lock after its CAS: if it tripped meanwhile and found
        // the list empty, it will never run this node; whoever unlinks the node owns its action
        if (reason != null && remove(l)) {
            synchronized (this) {
                notifyAll(); // a closer may wait in awaitSettled for head to become null
            }
            return false;
        }
        return true;
    }

    /**
     * Links a library action, or returns an unlinked node if this breaker has tripped (the
     * action is then not run: callers look at the state themselves).
     */
    final Listener linkInternal(InternalAction action) {
        Listener l = new Listener(this, action);
        if (!link(l)) {
            l.linked = false;
        }
        return l;
    }

    /** Number of registered actions not yet run or removed: a test hook. */
    public final synchronized int listenerCount() {
        int n = 0;
        for (Listener l = head == TRIPPING ? null : head; l != null; l = l.next) {
            n++;
        }
        return n;
    }

    /**
     * Unlinks a registration that has not run; never waits.
     *
     * @return whether it was still linked (then its action will never run)
     */
    final synchronized boolean remove(Listener l) {
        if (!l.linked) {
            return false;
        }
        if (l.prev != null) {
            l.prev.next = l.next;
        } else {
            head = l.next;
        }
        if (l.next != null) {
            l.next.prev = l.prev;
        }
        l.unlinked();
        return true;
    }

    /**
     * The stage is kept as a registration of its own ({@link DoneLink}) rather than in a field,
     * so that a breaker that never calls this pays nothing for it.
     */
    @Override
    public final CompletionStage<BreakReason> done() {
        synchronized (this) {
            if (reason == null) {
                for (Listener l = head; l != null && l != TRIPPING; l = l.next) {
                    if (l.action instanceof DoneLink) {
                        return ((DoneLink) l.action).view;
                    }
                }
            }
        }
        BreakReason r = reason;
        if (r != null) {
            return CompletableFuture.completedFuture(r).minimalCompletionStage();
        }
        DoneLink link = new DoneLink();
        if (!link(new Listener(this, link))) {
            link.run(); // tripped meanwhile
        }
        return link.view;
    }

    /** Completes the stage of {@link #done()}; its dependents are user code (not internal). */
    private final class DoneLink implements Runnable {
        final CompletableFuture<BreakReason> future = new CompletableFuture<>();
        final CompletionStage<BreakReason> view = future.minimalCompletionStage();

        @Override
        public void run() {
            future.complete(reason);
        }
    }

    @Override
    public final boolean await(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        if (reason != null) {
            return true;
        }
        long deadline = System.nanoTime() + Durations.toNanosSaturated(timeout);
        Thread waiter = Thread.currentThread();
        Listener unpark = linkInternal(() -> LockSupport.unpark(waiter));
        try {
            while (reason == null) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                LockSupport.parkNanos(this, remaining);
            }
            return true;
        } finally {
            unpark.cancel();
        }
    }

    @Override
    public final void await() throws InterruptedException {
        if (reason != null) {
            return;
        }
        Thread waiter = Thread.currentThread();
        Listener unpark = linkInternal(() -> LockSupport.unpark(waiter));
        try {
            while (reason == null) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                LockSupport.park(this);
            }
        } finally {
            unpark.cancel();
        }
    }

    @Override
    public final <T> T call(Callable<T> task) throws Exception {
        return InterruptBridge.call(this, task);
    }

    @Override
    public final <T> CompletableFuture<T> submit(Callable<T> task, Executor executor) {
        return SubmittedTask.submit(this, task, executor);
    }

    @Override
    public final Breaker withTimeout(Duration timeout) {
        return TimedBreaker.child(this, timeout);
    }

    /**
     * Runs one action; logs what it throws. Never throws.
     *
     * @return a {@link VirtualMachineError} it threw (to rethrow on a user's thread once every
     *         action has run), else null
     */
    static Throwable runQuietly(Runnable action) {
        try {
            action.run();
            return null;
        } catch (Throwable t) {
            reportQuietly(t, "running an onBreak action");
            return t instanceof VirtualMachineError ? t : null;
        }
    }

    /** Removes a registration that the library made, without waiting for a running trip. */
    static void cancelQuietly(Registration r) {
        if (r instanceof Listener) {
            ((Listener) r).cancel();
        } else if (r != null) {
            r.close();
        }
    }

    /** Logs a failure of user code; survives a logger that fails too (out of memory). */
    static void reportQuietly(Throwable t, String what) {
        try {
            LOG.log(System.Logger.Level.WARNING, "Breaker: failure while " + what + " (ignored)", t);
        } catch (Throwable ignored) {
            // nothing more can be done; the caller goes on
        }
    }

    @Override
    public String toString() {
        BreakReason r = reason;
        return getClass().getSimpleName() + (r == null ? "[live]" : "[broken: " + r + "]");
    }

    /**
     * One registration; also the list node. Guarded by its owner's lock. A subclass may be its
     * own action (set {@link #action} to {@code this}), saving an object per registration.
     */
    static class Listener implements Registration {
        static final Registration NONE = () -> { };

        final AbstractBreaker owner;
        Runnable action;
        Listener prev;
        Listener next;
        boolean linked = true;

        Listener(AbstractBreaker owner, Runnable action) {
            this.owner = owner;
            this.action = action;
        }

        void unlinked() {
            linked = false;
            prev = null;
            next = null;
            action = null;
        }

        /**
         * Removes the action if it has not run. If the breaker has tripped and another thread
         * is running its actions, waits until they have run, so that after this returns the
         * action is neither running nor going to run (unless called from inside an action).
         */
        @Override
        public void close() {
            if (!owner.remove(this)) {
                owner.awaitSettled();
            }
        }

        /** Removes the action if it has not run, without waiting: for the library's own links. */
        final void cancel() {
            owner.remove(this);
        }
    }
}
