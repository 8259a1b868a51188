package dev.breaker.worker.internal;

import dev.breaker.Breaker;

import java.util.function.Consumer;

/**
 * One start or stop body, on a fresh thread of its own (see {@link WorkerThreads}): the driving
 * thread can interrupt it or give up on it, and learns when the body began and, for a stop, the
 * breaker whose clock started then. Thread-safe.
 */
final class Task implements Runnable {
    private final WorkerThreads threads;
    private final Consumer<Task> body;
    private final Thread thread;
    private volatile boolean began;
    private volatile long beganNanos;
    private volatile Breaker breaker;

    Task(WorkerThreads threads, String threadSuffix, Consumer<Task> body) {
        this.threads = threads;
        this.body = body;
        this.thread = threads.newPhaseThread(threadSuffix, this);
    }

    /** Starts the thread. */
    void start() {
        thread.start();
    }

    @Override
    public void run() {
        beganNanos = System.nanoTime();
        began = true;
        body.accept(this);
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

    /** Interrupts the body's thread. */
    void interrupt() {
        thread.interrupt();
    }

    /** Gives up on the body: its thread is interrupted and left behind (see {@link WorkerThreads#abandon}). */
    void abandon() {
        threads.abandon(thread);
    }
}
