package dev.breaker.internal;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Where the timer and signal threads send user actions: an elastic set of daemon threads named
 * {@code breaker-callback-N} taking tasks from one queue. Normally one thread does all the work.
 * A user action that blocks holds only its own thread: when the queue has made no progress for
 * {@link #STUCK_NANOS} while work waits, the {@linkplain #watch watcher} (the timer thread, every
 * tick while work waits) or the next {@link #execute} starts another thread. A thread exits after
 * {@link #LINGER_NANOS} without work, so none is left when nothing happens.
 *
 * <p>Thread safety: all state is guarded by {@code this}; tasks run outside the lock, and a task
 * that throws anything is logged and does not end its thread.
 */
final class Callbacks {
    static final long STUCK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(1);

    static final Callbacks INSTANCE = new Callbacks();

    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private int threads;
    private int idle;
    private int serial;
    /** When a thread last took a task, or the queue last became non-empty. */
    private long lastProgress;
    /** The thread that {@linkplain #hold holds} the wake-ups back, or null. */
    private Thread holder;
    /** Tasks came in while wake-ups were held back. */
    private boolean heldBack;
    /** Times a waiting thread woke up to work: a test hook. */
    private long wakeups;

    private Callbacks() {
    }

    /**
     * Queues a task. Starts a thread if none is free and either nobody will {@link #watch} (a
     * signal thread calls with {@code watched} false) or the queue is not moving.
     */
    void execute(Runnable task, boolean watched) {
        Thread toStart = null;
        synchronized (this) {
            long now = System.nanoTime();
            if (queue.isEmpty()) {
                lastProgress = now;
            }
            queue.add(task);
            if (holder == Thread.currentThread()) {
                heldBack = true; // release() wakes a thread once for everything queued meanwhile
                return;
            }
            toStart = wake(1, watched, now);
        }
        if (toStart != null && !start(toStart)) {
            synchronized (this) {
                if (!queue.remove(task)) {
                    return; // another thread took it: it runs
                }
            }
            throw new IllegalStateException("no callback thread could be started"); // the caller runs it
        }
    }

    /**
     * Holds back the wake-ups of the calling thread's {@link #execute}s until {@link #release}:
     * the timer queues all the actions of one tick, then wakes a callback thread once for all of
     * them, instead of once per action (a callback thread woken per action on a loaded machine
     * preempts the timer, runs one action and waits again).
     */
    void hold() {
        synchronized (this) {
            holder = Thread.currentThread();
        }
    }

    /**
     * Ends {@link #hold}: wakes as many idle threads as there are tasks (at most), or starts one
     * if there is none. If it cannot be started, the tasks wait for the watcher, which tries
     * again after {@link #STUCK_NANOS}.
     */
    void release() {
        Thread toStart = null;
        synchronized (this) {
            holder = null;
            if (!heldBack) {
                return;
            }
            heldBack = false;
            if (queue.isEmpty()) {
                return;
            }
            toStart = wake(queue.size(), true, System.nanoTime());
        }
        if (toStart != null) {
            start(toStart);
        }
    }

    /**
     * For {@code tasks} newly queued tasks, with the lock held ({@code now} from {@link System#nanoTime()}): wakes that many idle threads at
     * most; with none idle, returns a new thread to start (unstarted) if there is no thread at
     * all, if nobody will {@link #watch} ({@code watched} false), or if the queue is not moving;
     * else null.
     */
    private Thread wake(int tasks, boolean watched, long now) {
        if (idle > 0) {
            for (int i = Math.min(idle, tasks); i > 0; i--) {
                notify();
            }
            return null;
        }
        if (threads == 0 || !watched || now - lastProgress >= STUCK_NANOS) {
            return newThread();
        }
        return null;
    }

    /** Starts a thread counted by {@link #newThread}; uncounts it and returns false if it cannot start. */
    private boolean start(Thread t) {
        try {
            t.start();
            return true;
        } catch (Throwable noThread) { // e.g. OutOfMemoryError: unable to create native thread
            synchronized (this) {
                threads--;
            }
            AbstractBreaker.reportQuietly(noThread, "starting a callback thread");
            return false;
        }
    }

    /** Whether tasks wait: the timer then calls {@link #watch} every tick. */
    synchronized boolean hasBacklog() {
        return !queue.isEmpty();
    }

    /** Starts another thread if tasks have waited {@link #STUCK_NANOS} with no thread free. */
    void watch() {
        Thread toStart = null;
        synchronized (this) {
            if (queue.isEmpty() || System.nanoTime() - lastProgress < STUCK_NANOS) {
                return;
            }
            if (idle > 0) {
                notify(); // not expected (wake-ups match tasks), but a waiting thread must not idle past work
                return;
            }
            toStart = newThread();
            lastProgress = System.nanoTime(); // one new thread per stuck period
        }
        if (toStart != null) {
            start(toStart);
        }
    }

    /** Live callback threads: a test and monitoring hook. */
    synchronized int threads() {
        return threads;
    }

    /** Times a waiting callback thread woke up to work: a test hook. */
    synchronized long wakeups() {
        return wakeups;
    }

    private Thread newThread() {
        threads++;
        Thread t = new Thread(this::work, "breaker-callback-" + (++serial));
        t.setDaemon(true);
        t.setContextClassLoader(Callbacks.class.getClassLoader());
        return t;
    }

    private void work() {
        try {
            for (;;) {
                Runnable task;
                synchronized (this) {
                    long idleSince = System.nanoTime();
                    while (queue.isEmpty()) {
                        long left = LINGER_NANOS - (System.nanoTime() - idleSince);
                        if (left <= 0) {
                            threads--;
                            return;
                        }
                        idle++;
                        try {
                            TimeUnit.NANOSECONDS.timedWait(this, left);
                        } catch (InterruptedException ignored) {
                            // a callback thread belongs to the library: keep serving
                        } finally {
                            idle--;
                        }
                        if (!queue.isEmpty()) {
                            wakeups++;
                        }
                    }
                    task = queue.poll();
                    lastProgress = System.nanoTime();
                }
                try {
                    task.run();
                } catch (Throwable t) {
                    try {
                        AbstractBreaker.LOG.log(System.Logger.Level.WARNING, Messages::callbackFailed, t);
                    } catch (Throwable ignored) {
                        // logging itself failed (out of memory): keep the thread
                    }
                }
                Thread.interrupted(); // an action may have interrupted its own thread
            }
        } catch (Throwable fatal) {
            synchronized (this) {
                threads--;
                if (!queue.isEmpty()) {
                    lastProgress = System.nanoTime() - STUCK_NANOS; // let the watcher replace it
                }
            }
            throw fatal;
        }
    }
}
