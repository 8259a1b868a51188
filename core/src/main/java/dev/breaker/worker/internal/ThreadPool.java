package dev.breaker.worker.internal;

import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;

/**
 * A bounded pool of platform threads (JDK 17, or virtual threads disabled) that gives a task to
 * an idle thread if there is one, else to a new thread while there are fewer than the bound,
 * and only then queues it. (A {@code ThreadPoolExecutor} with core = max creates a new thread for
 * every task until it has its core size, even when a thread is idle; creating a thread makes the
 * caller wait until the new thread runs, about half a millisecond on a loaded machine, which was
 * most of the time between one stop's end and the next one's beginning.) The most recently idle
 * thread is reused first; an idle thread ends after {@link #KEEP_ALIVE_NANOS}.
 *
 * <p>If a thread cannot be created (say, {@code OutOfMemoryError: unable to create native
 * thread} at a container's pid limit) while the pool has threads, the task is queued for one of
 * them instead of failing; {@link #execute} throws only when the pool has no thread at all.
 *
 * <p>The bound can be raised and lowered by one while the pool runs ({@link #grow},
 * {@link #shrink}); a thread above the bound ends when its task returns.
 *
 * <p>Thread-safe: all state is guarded by {@code lock}.
 */
final class ThreadPool {
    /** How long an idle thread waits for a task before it ends. */
    static final long KEEP_ALIVE_NANOS = 1_000_000_000L;

    private final ThreadFactory factory;
    private final Object lock = new Object();
    private final ArrayDeque<Idle> idle = new ArrayDeque<>();      // guarded by lock; most recently idle first
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>(); // guarded by lock
    private final Set<Thread> threads = new HashSet<>();           // guarded by lock; every thread started here, alive
    private int counted;   // guarded by lock; threads counting against the bound, including those being created
    private int bound;     // guarded by lock
    private boolean shutdown; // guarded by lock
    private long created;  // guarded by lock; threads created in all, for tests

    /** A thread parked in {@link #next}, and the task handed to it. */
    private static final class Idle {
        final Thread thread = Thread.currentThread();
        Runnable task; // guarded by the pool's lock
    }

    ThreadPool(int bound, ThreadFactory factory) {
        this.bound = bound;
        this.factory = factory;
    }

    /**
     * Runs {@code task} on an idle thread, else on a new one, else (every one of the bound busy,
     * or no thread could be created) queues it for the next thread to become free.
     *
     * @return true if {@code task} has a thread; false if it waits in the queue
     * @throws RejectedExecutionException after {@link #shutdown}
     * @throws OutOfMemoryError (or whatever creating a thread threw) if no thread could be
     *         created and the pool has none that could take the task later
     */
    boolean execute(Runnable task) {
        Idle taker;
        synchronized (lock) {
            if (shutdown) {
                throw new RejectedExecutionException("the worker graph's threads are shut down");
            }
            taker = idle.pollFirst();
            if (taker != null) {
                taker.task = task;
            } else if (counted < bound) {
                counted++;
            } else {
                queue.addLast(task);
                return false;
            }
        }
        if (taker != null) {
            LockSupport.unpark(taker.thread);
            return true;
        }
        Throwable failed = spawn(task);
        if (failed == null) {
            return true;
        }
        synchronized (lock) {
            if (counted > 0 && !shutdown) { // one of them takes it when it is free
                queue.addLast(task);
                return false;
            }
        }
        if (failed instanceof Error) {
            throw (Error) failed;
        }
        throw failed instanceof RuntimeException ? (RuntimeException) failed : new RejectedExecutionException(failed);
    }

    /** Raises the bound by one; if tasks are waiting, starts a thread for them at once. */
    void grow() {
        synchronized (lock) {
            bound++;
            if (queue.isEmpty() || counted >= bound || shutdown) {
                return;
            }
            counted++;
        }
        Throwable failed = spawn(null);
        if (failed != null) {
            GraphEngine.LOG.log(Level.WARNING, Messages::poolThreadNotCreated, failed);
        }
    }

    /** Lowers the bound by one; a thread above it ends when it is next free. */
    void shrink() {
        synchronized (lock) {
            bound--;
        }
    }

    /** Accepts no more tasks; queued ones still run; idle threads end now. */
    void shutdown() {
        List<Idle> wake;
        synchronized (lock) {
            shutdown = true;
            wake = new ArrayList<>(idle);
        }
        for (Idle i : wake) {
            LockSupport.unpark(i.thread);
        }
    }

    /** As {@link #shutdown}, and drops the queued tasks and interrupts every thread still running one. */
    void shutdownNow() {
        shutdown();
        List<Thread> running;
        synchronized (lock) {
            queue.clear();
            running = new ArrayList<>(threads);
        }
        for (Thread t : running) {
            t.interrupt();
        }
    }

    /** Threads created so far (for tests). */
    long created() {
        synchronized (lock) {
            return created;
        }
    }

    /** Threads idle (for tests). */
    int idleCount() {
        synchronized (lock) {
            return idle.size();
        }
    }

    /** Threads alive (for tests). */
    int size() {
        synchronized (lock) {
            return threads.size();
        }
    }

    /**
     * Starts a thread that runs {@code first} (if not null) and then whatever comes; the thread
     * was counted already. On failure it is no longer counted, and the failure is returned.
     */
    private Throwable spawn(Runnable first) {
        Thread t = null;
        try {
            t = factory.newThread(() -> work(first));
            synchronized (lock) {
                threads.add(t);
                created++;
            }
            t.start();
            return null;
        } catch (Throwable e) { // OutOfMemoryError: unable to create native thread, and the like
            synchronized (lock) {
                counted--;
                if (t != null) {
                    threads.remove(t);
                }
            }
            return e;
        }
    }

    private void work(Runnable first) {
        Thread self = Thread.currentThread();
        try {
            Runnable task = first != null ? first : next();
            while (task != null) {
                Thread.interrupted(); // an interrupt meant for an earlier task is not for this one
                try {
                    task.run();
                } catch (Throwable t) { // not expected: bodies and jobs catch everything themselves
                    try {
                        GraphEngine.LOG.log(Level.WARNING, Messages::taskFailed, t);
                    } catch (Throwable ignored) {
                        // go on
                    }
                }
                task = next();
            }
        } finally {
            synchronized (lock) {
                threads.remove(self);
            }
        }
    }

    /**
     * The next task for the calling pool thread: a queued one, else one handed to it while it
     * idles; null if it is to end (then it no longer counts).
     */
    private Runnable next() {
        Idle me;
        synchronized (lock) {
            if (counted > bound) {
                counted--;
                return null;
            }
            Runnable queued = queue.pollFirst();
            if (queued != null) {
                return queued;
            }
            if (shutdown) {
                counted--;
                return null;
            }
            me = new Idle();
            idle.addFirst(me);
        }
        long until = System.nanoTime() + KEEP_ALIVE_NANOS;
        while (true) {
            Thread.interrupted(); // parking must not spin on a stale interrupt
            LockSupport.parkNanos(this, until - System.nanoTime());
            synchronized (lock) {
                if (me.task != null) { // handed over by execute, which took it off the idle list
                    return me.task;
                }
                if (shutdown || System.nanoTime() - until >= 0) {
                    idle.remove(me);
                    counted--;
                    return null;
                }
            }
        }
    }
}
