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
 * The registrations (which also hold the stage of {@link #done()}) form a lock-free stack of
 * {@link Listener} nodes under the volatile {@link #head}, in the manner of
 * {@code CompletableFuture}'s dependents:
 * <ul>
 *   <li>{@link #link} pushes a node with one CAS of {@link #head}, only while {@link #head} is
 *       not a sentinel, then reads the reason again. After its CAS of the reason, a trip either
 *       finds {@link #head} null and stores {@link #SETTLED} (nothing to run; that store may
 *       overwrite a node pushed just after it looked), or swaps the stack for {@link #TRIPPING}
 *       and claims the nodes of the detached stack. A pusher that sees the reason takes its
 *       node back with {@link #remove}; if that fails, a trip claimed it. So a pushed node is
 *       run by the trip or by its pusher, never by neither.
 *   <li>Each node has a {@link Listener#state state} that leaves {@link Listener#LINKED} at most
 *       once, by CAS: to {@link Listener#CLAIMED} by the trip (which then runs its action) or to
 *       {@link Listener#CANCELLED} by {@link #remove} (which then never runs). Whoever wins owns
 *       the action, so every action runs exactly once or, if removed first, never. The one
 *       exception is a {@linkplain Listener#repeatable repeatable} node (a multiplex's link on
 *       a child), whose action may harmlessly run twice or after its removal: the trip takes it
 *       with a plain write.
 *   <li>{@link #remove} of the node on top of the stack (the usual case: a multiplex or a
 *       {@code withTimeout} child registers and unregisters in LIFO order) pops it with one CAS
 *       of {@link #head} instead; a popped node is unreachable for any later trip, so it too
 *       never runs (it was {@code LINKED}, so no purge or pop unlinked it from the nodes above it
 *       before; they all left the stack before it became the top, and a node whose chain ever
 *       held it never becomes the top again; it is also marked cancelled right after the pop,
 *       so a trip would skip it anyway from then on). Elsewhere in the stack,
 *       {@link #remove} only marks the node cancelled: it stays in the stack as garbage, its
 *       action already dropped, until a pop skips it or a {@link #purge} (serialised by
 *       {@code this}) unlinks every cancelled node. Lazy removal is bounded: a purge runs when
 *       the nodes cancelled in place since the last one reach the number of live nodes that one
 *       found (at least {@link #MIN_PURGE}), so the stack never holds more dead nodes than
 *       about that many plus a few left by races of a pop with a purge, and purging costs
 *       amortised O(1) per removal. {@link #listenerCount()} counts only {@code LINKED} nodes
 *       reachable from {@link #head}, so the count of live registrations is exact whatever
 *       garbage is left.
 *   <li>After the trip's actions have run, {@link #head} becomes {@link #SETTLED} for ever.
 *       {@link #awaitSettled()} waits (on {@code this}) for that. {@link #settle()} stores it
 *       (a volatile store) and then reads {@link #waiters}, and notifies if a waiter announced
 *       itself there; a waiter stores {@link #waiters} (volatile) and then reads {@link #head},
 *       holding the monitor from before its store until it waits. So either the waiter sees
 *       {@link #SETTLED} and does not wait, or {@link #settle()} sees the waiter, and its
 *       notification (which needs the monitor) comes after the wait began. Nobody polls.
 * </ul>
 * Subclasses release their resources in {@link #release()}, which runs exactly once, on the
 * thread that tripped the breaker, before any action.
 */
public abstract class AbstractBreaker implements Breaker {
    static final System.Logger LOG = System.getLogger("dev.breaker");

    private static final VarHandle REASON;
    private static final VarHandle HEAD;
    private static final VarHandle GARBAGE;
    /** {@link #head} while the actions of the trip are running (the stack is detached). */
    private static final Listener TRIPPING = new Listener(null, null);
    /** {@link #head} once the actions of the trip have all run. */
    private static final Listener SETTLED = new Listener(null, null);
    /** Fewest cancelled nodes left in the stack before a {@link #purge}. */
    static final int MIN_PURGE = 16;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            REASON = lookup.findVarHandle(AbstractBreaker.class, "reason", BreakReason.class);
            HEAD = lookup.findVarHandle(AbstractBreaker.class, "head", Listener.class);
            GARBAGE = lookup.findVarHandle(AbstractBreaker.class, "garbage", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile BreakReason reason;
    /** Top of the stack of registrations, or {@link #TRIPPING}, or {@link #SETTLED}. */
    private volatile Listener head;
    /** Set (for ever) by a thread about to wait in {@link #awaitSettled()}. */
    private volatile boolean waiters;
    /**
     * Nodes cancelled in place since the last {@link #purge}, minus the allowance that purge
     * granted (the live nodes it found beyond {@link #MIN_PURGE}); changed atomically. A purge
     * runs when it reaches {@link #MIN_PURGE}.
     */
    private int garbage;
    /**
     * The Flight Recorder event of this breaker's trip, begun at its creation when the event was
     * enabled then ({@link BreakerTrippedEvent}), else null; final, so that whichever thread trips
     * the breaker sees it.
     */
    private final Object flight = Jfr.AVAILABLE ? BreakerTrippedEvent.atCreation() : null;

    @Override
    public final boolean isBroken() {
        return reason != null;
    }

    @Override
    public final Optional<BreakReason> reason() {
        return Optional.ofNullable(reason);
    }

    /**
     * {@inheritDoc} Computed on each call from the timer entries that bound this breaker (one
     * short lock per timed breaker on the way); allocation-free but for the result.
     */
    @Override
    public final Optional<java.time.Duration> remaining() {
        long n = remainingNanos();
        return n < 0 ? Optional.empty() : Optional.of(java.time.Duration.ofNanos(n));
    }

    /**
     * Nanoseconds left before this breaker trips by itself; 0 once it has tripped; -1 while no
     * time bounds it. Timed and multiplex breakers override it.
     */
    long remainingNanos() {
        return reason != null ? 0 : -1;
    }

    /** {@link #remainingNanos()} of any breaker, ours or not (saturated). */
    static long remainingNanosOf(Breaker b) {
        if (b instanceof AbstractBreaker) {
            return ((AbstractBreaker) b).remainingNanos();
        }
        Optional<java.time.Duration> d = b.remaining();
        return d.isEmpty() ? -1 : Durations.toNanosSaturated(d.get());
    }

    /** The earlier of two {@link #remainingNanos()} values (-1: none). */
    static long earlier(long a, long b) {
        if (a < 0) {
            return b;
        }
        return b < 0 ? a : Math.min(a, b);
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
     * <p>Protected: only the breaker's own class and this package trip it; an owner that must
     * trip a breaker from elsewhere holds a {@link ManualBreaker} ({@link ManualBreaker#tripAs}),
     * and a caller who merely has a {@code Breaker} cannot trip it by a cast.
     *
     * @return true if this call tripped it, false if it had tripped already
     */
    protected final boolean trip(BreakReason why) {
        Objects.requireNonNull(why, "reason");
        if (!REASON.compareAndSet(this, null, why)) {
            return false;
        }
        if (flight != null) {
            flightRecord(why);
        }
        TripObservers.tripped(why); // one volatile read when nobody observes
        try {
            release();
        } catch (Throwable t) {
            reportQuietly(t, "releasing");
        }
        if (head == null) {
            // no action (the per-request create-and-close path): a node pushed after the read
            // above is overwritten here, or its push fails on SETTLED; either way its linker
            // sees the reason when it looks again, and takes the node back (see link)
            settle();
            return true;
        }
        Object actions;
        TripLoop loop;
        try {
            actions = claim((Listener) HEAD.getAndSet(this, TRIPPING));
            loop = actions == null ? null : TripLoop.current();
        } catch (Throwable noMemory) {
            // e.g. OutOfMemoryError: the detached actions cannot run, but no closer waits for ever
            settle();
            throw noMemory;
        }
        if (actions == null) {
            settle();
            return true;
        }
        Throwable fatal = loop.run(this, actions);
        if (fatal != null) {
            throw (VirtualMachineError) fatal;
        }
        return true;
    }

    /** Ends and, past its threshold, commits the trip's Flight Recorder event; never throws. */
    private void flightRecord(BreakReason why) {
        try {
            BreakerTrippedEvent.tripped(flight, this, why);
        } catch (Throwable t) {
            reportQuietly(t, "recording the trip");
        }
    }

    /**
     * Claims every node of a detached stack that nobody cancelled (by CAS, except the
     * {@linkplain Listener#repeatable repeatable} ones); drops the stack's links.
     *
     * @return their actions: null if none, the action if only one, else a {@code Runnable[]}
     *         that may contain nulls
     */
    private static Object claim(Listener stack) {
        if (stack == null) {
            return null;
        }
        Listener below = stack.next;
        if (below == null) { // one node: no array
            Runnable a = claim1(stack);
            Listener.NEXT.set(stack, (Listener) null);
            return a;
        }
        int n = 0;
        for (Listener l = stack; l != null; l = l.next) {
            n++;
        }
        Runnable[] actions = new Runnable[n]; // before any claim, so no claimed action is dropped
        int i = 0;
        for (Listener l = stack; l != null; ) {
            Listener next = l.next;
            Runnable a = claim1(l);
            if (a != null) {
                actions[i++] = a;
            }
            Listener.NEXT.set(l, (Listener) null);
            l = next;
        }
        return i == 0 ? null : actions;
    }

    /** The action of one node of a detached stack if this trip takes it, else null. */
    private static Runnable claim1(Listener l) {
        if (l.state != Listener.LINKED) {
            return null;
        }
        if (l.repeatable) {
            Listener.STATE.set(l, Listener.CLAIMED); // no race to win: running it twice is harmless
            return l.action;
        }
        if (!Listener.STATE.compareAndSet(l, Listener.LINKED, Listener.CLAIMED)) {
            return null;
        }
        Runnable a = l.action;
        l.action = null;
        return a;
    }

    /**
     * Every action of the trip has run: publishes {@link #SETTLED} and wakes whoever waits in
     * {@link #awaitSettled()} (see the class comment for why no waiter misses it).
     */
    final void settle() {
        head = SETTLED; // a volatile store, then the read of waiters
        if (waiters) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /** Whether the actions of the trip have all run; call only when {@link #reason} is set. */
    private boolean settled() {
        return head == SETTLED;
    }

    /**
     * Waits until the actions of this breaker's trip have all run, or until {@code deadlineNanos}
     * ({@link System#nanoTime()}) passes, whichever is first; true if they have run (or the
     * breaker is live). Returns at once from inside an action, and early if the waiting thread
     * is interrupted (the interrupt status is kept).
     */
    final boolean awaitSettled(long deadlineNanos) {
        if (reason == null || settled()) {
            return true;
        }
        if (TripLoop.inAction()) {
            return false;
        }
        synchronized (this) {
            waiters = true; // then read head: settle() writes head, then reads waiters
            while (!settled()) {
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
        // after the trip's CAS, head is the stack (or null) until detached, then TRIPPING, then SETTLED
        if (reason == null || settled() || TripLoop.inAction()) {
            return;
        }
        synchronized (this) {
            waiters = true; // then read head: settle() writes head, then reads waiters
            while (!settled()) {
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
     * tripped; then the node stays unlinked and its action is not run. One CAS when live.
     *
     * @return whether the node was linked (its action then runs once, unless it is removed)
     */
    final boolean link(Listener l) {
        Listener h = head;
        for (;;) {
            if (h == TRIPPING || h == SETTLED || reason != null) {
                return false;
            }
            Listener.NEXT.set(l, h); // published by the CAS
            Listener witness = (Listener) HEAD.compareAndExchange(this, h, l);
            if (witness == h) {
                // a trip that found no node may have overwritten this one with SETTLED (see
                // trip): whoever takes the node (this remove, or a trip's claim) owns its action
                return reason == null || !remove(l);
            }
            h = witness;
        }
    }

    /**
     * Links a library action, or returns an unlinked node if this breaker has tripped (the
     * action is then not run: callers look at {@link Listener#wasLinked()} or at the state).
     */
    final Listener linkInternal(InternalAction action) {
        Listener l = new Listener(this, action);
        if (!link(l)) {
            l.state = Listener.NEVER_LINKED;
            l.action = null;
        }
        return l;
    }

    /**
     * Number of registered actions not yet run or removed: a test hook. Exact when no
     * registration or trip is in progress; cancelled nodes not yet purged are not counted.
     */
    public final int listenerCount() {
        Listener h = head;
        if (h == TRIPPING || h == SETTLED) {
            return 0;
        }
        int n = 0;
        for (Listener l = h; l != null; l = l.next) {
            if (l.state == Listener.LINKED) {
                n++;
            }
        }
        return n;
    }

    /** Nodes in the stack, live or cancelled but not yet purged: a test hook for the bound. */
    final int nodeCount() {
        Listener h = head;
        if (h == TRIPPING || h == SETTLED) {
            return 0;
        }
        int n = 0;
        for (Listener l = h; l != null; l = l.next) {
            n++;
        }
        return n;
    }

    /**
     * Unlinks a registration that has not run; never waits. On top of the stack: one CAS that
     * pops it (and any cancelled nodes right under it). Elsewhere: one CAS of its state, leaving
     * the node to a later pop or {@link #purge}.
     *
     * @return whether it was still linked (then its action will never run)
     */
    final boolean remove(Listener l) {
        if (l.state != Listener.LINKED) {
            return false;
        }
        if (head == l) {
            Listener below = l.next;
            while (below != null && below.state == Listener.CANCELLED) {
                below = below.next;
            }
            if (HEAD.compareAndSet(this, l, below)) {
                // unreachable now: no trip can claim it (a trip detaches head with a swap)
                Listener.STATE.setRelease(l, Listener.CANCELLED);
                if (!l.repeatable) {
                    l.action = null;
                }
                Listener.NEXT.set(l, (Listener) null);
                return true;
            }
        }
        if (!Listener.STATE.compareAndSet(l, Listener.LINKED, Listener.CANCELLED)) {
            return false; // claimed by the trip, or removed by another thread
        }
        if (!l.repeatable) {
            l.action = null;
        }
        if ((int) GARBAGE.getAndAdd(this, 1) + 1 >= MIN_PURGE) {
            purge();
        }
        return true;
    }

    /**
     * Unlinks every cancelled node from the stack; serialised by {@code this}. Concurrent pushes
     * and pops change only {@link #head}, which this changes only by CAS (starting again if that
     * fails); interior links are written only here. Stops at a trip's sentinel.
     */
    private void purge() {
        synchronized (this) {
            int found = garbage;
            if (found < MIN_PURGE) {
                return; // another thread purged meanwhile
            }
            int live = 0;
            Listener p = null;
            Listener q = head;
            while (q != null && q != TRIPPING && q != SETTLED) {
                Listener s = q.next;
                if (q.state != Listener.CANCELLED) {
                    p = q;
                    live++;
                } else if (p == null) {
                    if (!HEAD.compareAndSet(this, q, s)) {
                        live = 0;
                        q = head; // pushed onto or popped meanwhile: start again
                        continue;
                    }
                } else {
                    Listener.NEXT.setRelease(p, s);
                }
                q = s;
            }
            // the next purge after max(MIN_PURGE, live) more cancellations
            GARBAGE.getAndAdd(this, -found - Math.max(0, live - MIN_PURGE));
        }
    }

    /**
     * The stage is kept as a registration of its own ({@link DoneLink}) rather than in a field,
     * so that a breaker that never calls this pays nothing for it.
     */
    @Override
    public final CompletionStage<BreakReason> done() {
        Listener h = head;
        if (reason == null && h != TRIPPING && h != SETTLED) {
            for (Listener l = h; l != null; l = l.next) {
                Runnable a = l.action;
                if (a instanceof DoneLink && l.state == Listener.LINKED) {
                    return ((DoneLink) a).view; // if claimed meanwhile, it completes anyway
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
            LOG.log(System.Logger.Level.WARNING, () -> Messages.failureWhile(what), t);
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
     * One registration; also the stack node. Its {@link #state} leaves {@link #LINKED} at most
     * once, by CAS (see the class comment). A subclass may be its own action (set
     * {@link #action} to {@code this}), saving an object per registration.
     */
    static class Listener implements Registration {
        static final Registration NONE = () -> { };

        /** In the stack (or being pushed); the action has not run and is not removed. */
        static final int LINKED = 0;
        /** Taken by the trip, which runs the action. */
        static final int CLAIMED = 1;
        /** Removed: the action never runs. */
        static final int CANCELLED = 2;
        /** Never linked: the breaker had tripped when it registered. */
        static final int NEVER_LINKED = 3;

        static final VarHandle STATE;
        static final VarHandle NEXT;

        static {
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                STATE = lookup.findVarHandle(Listener.class, "state", int.class);
                NEXT = lookup.findVarHandle(Listener.class, "next", Listener.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final AbstractBreaker owner;
        /** Set before the node is published; cleared by whoever wins {@link #state}. */
        Runnable action;
        /** The node below in the stack; written plainly before the push, by purge after it. */
        volatile Listener next;
        volatile int state;
        /**
         * Whether running the action again, or after its removal, is harmless (a multiplex's
         * link: tripping a tripped multiplex does nothing, and only the multiplex's own release
         * removes it). A trip then takes the node without a CAS, and the node keeps its action.
         */
        final boolean repeatable;

        Listener(AbstractBreaker owner, Runnable action) {
            this(owner, action, false);
        }

        Listener(AbstractBreaker owner, Runnable action, boolean repeatable) {
            this.owner = owner;
            this.action = action;
            this.repeatable = repeatable;
        }

        /** Whether {@link AbstractBreaker#linkInternal} linked this node. */
        final boolean wasLinked() {
            return state != NEVER_LINKED;
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
