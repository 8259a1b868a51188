package dev.breaker.worker.internal;

import dev.breaker.Breaker;

import java.util.function.Consumer;

/**
 * One start or stop body, run on the graph's executor for bodies (see {@link WorkerThreads}).
 * The driving thread can give up on it (interrupting it) while (and only while) it runs, without
 * the interrupt leaking into a later body on the same pooled thread, and learns when the body
 * began and, for a stop, the breaker whose clock started then. While the body runs, its thread
 * is named {@code breaker-worker-<kind>-<worker>}. Thread-safe.
 */
final class Task implements Runnable {
    private final WorkerThreads threads;
    private final String threadName;
    private final Consumer<Task> body;
    private volatile boolean began;
    private volatile long beganNanos;
    private volatile Breaker breaker;
    private Thread runner;      // guarded by this; set while the body runs
    private boolean abandoned;  // guarded by this

    Task(WorkerThreads threads, String threadSuffix, Consumer<Task> body) {
        this.threads = threads;
        this.threadName = WorkerThreads.PREFIX + threadSuffix;
        this.body = body;
    }

    @Override
    public void run() {
        Thread self = Thread.currentThread();
        synchronized (this) {
            if (abandoned) {
                return; // given up on before it began (it waited for a thread past the deadline): never run it
            }
            runner = self;
        }
        String name = self.getName();
        self.setName(threadName);
        beganNanos = System.nanoTime();
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
                threads.bodyReturned(self);
            }
        }
    }

    /** When the body began ({@link System#nanoTime()}), or {@code otherwise} if it has not yet. */
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
            threads.abandonBody(runner);
        } // else not begun yet (or over): it never will begin
    }
}
