package dev.breaker.worker.internal;

import dev.breaker.Breaker;

import java.util.function.Consumer;

/**
 * One start or stop body, run on the graph's executor for bodies (see {@link WorkerThreads}) or,
 * if it waits too long there for a thread, on a fresh one ({@link #runOnFreshThread()}), or on
 * the thread of a body that has just ended and made it ready ({@link #keepForThisThread}).
 * The driving thread can give up on it (interrupting it) while (and only while) it runs, without
 * the interrupt leaking into a later body on the same pooled thread, and learns when the body
 * began and, for a stop, the breaker whose clock started then. While the body runs, its thread
 * is named {@code breaker-worker-<kind>-<worker>}. Thread-safe.
 */
final class Task implements Runnable {
    private final WorkerThreads threads;
    private final Clock clock;
    private final String threadName;
    private final Consumer<Task> body;
    private volatile boolean began;
    private volatile long beganNanos;
    private volatile Breaker breaker;
    private Thread runner;      // guarded by this; set while the body runs
    private boolean claimed;    // guarded by this; a thread has taken the body (it runs once)
    private boolean pooled;     // guarded by this; it runs on a thread of the pool of bodies
    private boolean abandoned;  // guarded by this
    private Breaker starvation; // guarded by this; trips if no pooled thread takes the body in time

    Task(WorkerThreads threads, String threadSuffix, Consumer<Task> body) {
        this(threads, Clock.SYSTEM, threadSuffix, body);
    }

    /** A body whose beginning is read on {@code clock}, the graph's. */
    Task(WorkerThreads threads, Clock clock, String threadSuffix, Consumer<Task> body) {
        this.threads = threads;
        this.clock = clock;
        this.threadName = WorkerThreads.PREFIX + threadSuffix;
        this.body = body;
    }

    /**
     * The body a thread keeps for itself while it handles the end of its own body (see
     * {@link Phase#finished}), to run right after that body returns; empty otherwise.
     */
    private static final ThreadLocal<Task> KEPT = new ThreadLocal<>();

    /** Run by the executor for bodies. */
    @Override
    public void run() {
        runKeeping(true);
    }

    /**
     * Keeps {@code t} for the calling thread, which is running a body, to run as soon as that
     * body returns (instead of handing it to another thread); false if the thread keeps one
     * already.
     */
    static boolean keepForThisThread(Task t) {
        if (KEPT.get() != null) {
            return false;
        }
        KEPT.set(t);
        return true;
    }

    /** Runs this body, then each body the thread kept for itself meanwhile, one after the other. */
    private void runKeeping(boolean onPool) {
        Throwable thrown = null;
        for (Task next = this; next != null; ) {
            try {
                next.run(onPool);
            } catch (Throwable t) { // not expected (bodies catch everything): the kept body still runs
                if (thrown == null) {
                    thrown = t;
                }
            }
            next = KEPT.get();
            KEPT.remove();
        }
        if (thrown instanceof RuntimeException) {
            throw (RuntimeException) thrown;
        } else if (thrown != null) {
            throw (Error) thrown;
        }
    }

    /**
     * Runs the body on this thread, unless another thread took it already or it was given up on
     * before it began (it waited for a thread past the deadline): a body runs at most once.
     */
    private void run(boolean onPool) {
        Thread self = Thread.currentThread();
        Breaker unneeded;
        synchronized (this) {
            if (abandoned || claimed) {
                return;
            }
            claimed = true;
            pooled = onPool;
            runner = self;
            unneeded = starvation;
        }
        if (unneeded != null) {
            unneeded.close();
        }
        String name = self.getName();
        self.setName(threadName);
        beganNanos = clock.nanoTime();
        began = true;
        try {
            body.accept(this);
        } finally {
            boolean wasAbandoned;
            synchronized (this) {
                runner = null;
                wasAbandoned = abandoned;
            }
            Thread.interrupted(); // drop an interrupt of ours that came too late to matter
            self.setName(name);
            if (wasAbandoned) {
                threads.bodyReturned(self, onPool);
            }
        }
    }

    /** When the body began ({@link Clock#nanoTime()}), or {@code otherwise} if it has not yet. */
    long beganNanos(long otherwise) {
        return began ? beganNanos : otherwise;
    }

    /** Called by a body that owns its breaker, right after creating it. */
    void breaker(Breaker b) {
        breaker = b;
    }

    /** The breaker the body created, or null. */
    Breaker breaker() {
        return breaker;
    }

    /**
     * Gives up on the body: if it is running, its thread is interrupted and left behind, and the
     * executor gets another thread in its place (see {@link WorkerThreads#abandonBody}); if it
     * has not begun, it never will.
     */
    synchronized void abandon() {
        if (abandoned) {
            return;
        }
        abandoned = true;
        if (runner != null) {
            threads.abandonBody(runner, pooled);
        } // else not begun yet (or over): it never will begin
    }

    /**
     * Watches the body while it waits in the pool's queue: {@code b} trips if no pooled thread
     * has taken it in time (every pooled thread is busy with bodies that have not yet overrun).
     * Closed as soon as a thread takes the body.
     */
    void watchStarvation(Breaker b) {
        synchronized (this) {
            if (!claimed && !abandoned) {
                starvation = b;
                return;
            }
        }
        b.close();
    }

    /**
     * The body waited too long for a pooled thread: runs it on a fresh daemon thread of its own
     * instead, unless a thread has taken it meanwhile (then the fresh thread does nothing). If no
     * thread can be created, the body goes on waiting for a pooled one.
     */
    void runOnFreshThread() {
        synchronized (this) {
            if (claimed || abandoned) {
                return;
            }
        }
        try {
            threads.newBodyThread(() -> runKeeping(false)).start();
        } catch (Throwable e) { // OutOfMemoryError: unable to create native thread, and the like
            try {
                GraphEngine.LOG.log(System.Logger.Level.WARNING, () -> Messages.freshThreadNotCreated(threadName), e);
            } catch (Throwable ignored) {
                // the driving thread goes on
            }
        }
    }
}
