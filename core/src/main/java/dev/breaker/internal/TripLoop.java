package dev.breaker.internal;

import java.lang.ref.WeakReference;
import java.util.ArrayDeque;

/**
 * Runs the actions of tripped breakers on one thread, iteratively: a breaker tripped by an action
 * (a multiplex whose child tripped, a child whose parent tripped, a user action that closes
 * another breaker) queues its actions here instead of running them on a deeper stack frame, and
 * the outermost trip on this thread runs the queue to its end. So a chain of 100,000 multiplexes
 * trips in linear time with a constant stack.
 *
 * <p>On an infrastructure thread (the timer, a signal handler) {@link #dispatch} is set: internal
 * actions run there, every user action goes to {@link Callbacks}, so no user code can block or
 * kill that thread.
 *
 * <p><b>No thread that is not the library's holds a loop strongly between trips.</b> A request
 * thread of a server is pooled and outlives the application: a loop held by its
 * {@link ThreadLocal} would hold this class, hence the application's class loader, after undeploy
 * (found by the servers' redeploy test on WildFly and Open Liberty). So such a thread's thread
 * local holds its loop through a {@link WeakReference} (a JDK class: nothing of the application's
 * is strongly reachable from it): the loop is reused from trip to trip while it lives, held
 * strongly by the stack during a trip, and a new one is made if a collection took it. Only
 * infrastructure threads ({@link #markInfrastructure}: the library's timer, a signal's
 * short-lived handler thread), whose {@link #dispatch} must never be lost, hold theirs strongly.
 * (Removing the loop after each trip instead cost an allocation and two thread-local writes per
 * trip with actions: about 40 ns and 190 bytes on a multiplex's trip.)
 *
 * <p>Thread safety: one instance per thread (a {@link ThreadLocal}); never shared.
 */
final class TripLoop {
    /** A {@code TripLoop} (infrastructure threads) or a {@code WeakReference<TripLoop>} (any other). */
    private static final ThreadLocal<Object> CURRENT = new ThreadLocal<>();

    /** Whether this thread hands user actions to {@link Callbacks} instead of running them. */
    private boolean dispatch;
    /** Whether this thread also watches {@link Callbacks} for stuck work (the timer does). */
    private boolean watched;
    /** How many trips of this thread are running actions (0 or 1: deeper ones queue). */
    private int depth;
    /** Queued trips: a breaker, then its actions. */
    private final ArrayDeque<Object> queue = new ArrayDeque<>();

    private TripLoop() {
    }

    /** This thread's loop, made now if it has none (or a collection took it). */
    static TripLoop current() {
        TripLoop loop = peek();
        if (loop == null) {
            loop = new TripLoop();
            CURRENT.set(new WeakReference<>(loop));
        }
        return loop;
    }

    /** This thread's loop if it has one, else null. */
    @SuppressWarnings("unchecked")
    private static TripLoop peek() {
        Object held = CURRENT.get();
        if (held instanceof TripLoop loop) {
            return loop;
        }
        return held == null ? null : ((WeakReference<TripLoop>) held).get();
    }

    /** Whether this thread holds a loop strongly: a test hook (false on a user's thread). */
    static boolean heldStrongly() {
        return CURRENT.get() instanceof TripLoop;
    }

    /**
     * Marks the calling thread as an infrastructure thread (see the class comment); {@code
     * watches}: it calls {@link Callbacks#watch()} every tick while callbacks wait.
     */
    static void markInfrastructure(boolean watches) {
        TripLoop loop = current();
        loop.dispatch = true;
        loop.watched = watches;
        CURRENT.set(loop); // strongly: its dispatch flag must never be collected
    }

    /** Whether the calling thread is inside a breaker action (where waiting could deadlock). */
    static boolean inAction() {
        TripLoop loop = peek();
        return loop != null && loop.depth > 0;
    }

    /**
     * Runs (or queues, if this thread is already running actions) the actions of {@code owner},
     * which has just tripped, and settles it when they have run. {@code actions} is one
     * {@link Runnable}, or a {@code Runnable[]} whose nulls are not actions.
     *
     * @return a {@link VirtualMachineError} thrown by one of the actions run, to rethrow to a
     *         user's thread, or null
     */
    Throwable run(AbstractBreaker owner, Object actions) {
        if (depth > 0) {
            queue.add(owner);
            queue.add(actions);
            return null;
        }
        depth++;
        Throwable fatal;
        try {
            fatal = execute(owner, actions);
            Throwable f = drain();
            if (fatal == null) {
                fatal = f;
            }
        } finally {
            depth--;
        }
        return dispatch ? null : fatal;
    }

    /** Runs the queued trips, and those they queue, until none is left. */
    private Throwable drain() {
        Throwable fatal = null;
        while (!queue.isEmpty()) {
            AbstractBreaker next = (AbstractBreaker) queue.poll();
            Object nextActions = queue.poll();
            Throwable f = execute(next, nextActions);
            if (fatal == null) {
                fatal = f;
            }
        }
        return fatal;
    }

    private Throwable execute(AbstractBreaker owner, Object actions) {
        try {
            return executeOrThrow(owner, actions);
        } catch (Throwable unexpected) { // e.g. out of memory between actions: never leave it unsettled
            AbstractBreaker.reportQuietly(unexpected, "running the actions of " + owner.getClass().getSimpleName());
            owner.settle();
            return dispatch || !(unexpected instanceof VirtualMachineError) ? null : unexpected;
        }
    }

    private Throwable executeOrThrow(AbstractBreaker owner, Object actions) {
        int n = actions instanceof Runnable ? 1 : ((Runnable[]) actions).length;
        if (!dispatch) {
            Throwable fatal = null;
            for (int i = 0; i < n; i++) {
                Runnable action = actionAt(actions, i);
                if (action != null) {
                    Throwable f = AbstractBreaker.runQuietly(action);
                    if (fatal == null) {
                        fatal = f;
                    }
                }
            }
            owner.settle();
            return fatal;
        }
        int user = 0;
        for (int i = 0; i < n; i++) {
            Runnable action = actionAt(actions, i);
            if (action instanceof InternalAction) {
                AbstractBreaker.runQuietly(action);
            } else if (action != null) {
                user++;
            }
        }
        if (user == 0) {
            owner.settle();
            return null;
        }
        // one task per user action, so that one that blocks holds up none of its siblings
        Settlement settlement = new Settlement(owner, user);
        for (int i = 0; i < n; i++) {
            Runnable action = actionAt(actions, i);
            if (action != null && !(action instanceof InternalAction)) {
                settlement.dispatch(action, watched);
            }
        }
        return null;
    }

    /** The {@code i}-th of {@code actions} (one {@link Runnable}, or an array that may hold nulls). */
    private static Runnable actionAt(Object actions, int i) {
        return actions instanceof Runnable ? (Runnable) actions : ((Runnable[]) actions)[i];
    }

    /** The user actions of one trip, run as separate tasks; the last to finish settles it. */
    private static final class Settlement {
        private final AbstractBreaker owner;
        private final java.util.concurrent.atomic.AtomicInteger left;

        Settlement(AbstractBreaker owner, int actions) {
            this.owner = owner;
            this.left = new java.util.concurrent.atomic.AtomicInteger(actions);
        }

        void dispatch(Runnable action, boolean watched) {
            Runnable task = () -> {
                TripLoop loop = current();
                loop.depth++; // an action may trip other breakers: queue their actions here
                try {
                    AbstractBreaker.runQuietly(action);
                    loop.drain();
                } finally {
                    loop.depth--;
                    done();
                }
            };
            try {
                Callbacks.INSTANCE.execute(task, watched);
            } catch (Throwable noThread) { // e.g. OutOfMemoryError: unable to create native thread
                AbstractBreaker.reportQuietly(noThread, "handing an action to a callback thread; running it here");
                AbstractBreaker.runQuietly(action);
                done();
            }
        }

        private void done() {
            if (left.decrementAndGet() == 0) {
                owner.settle();
            }
        }
    }
}
