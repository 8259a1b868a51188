package dev.breaker.worker.internal;

/**
 * A start or stop body submitted to the graph's executor that the driving thread can interrupt
 * while (and only while) it runs, without the interrupt leaking into a later task on the same
 * pooled thread. Thread-safe.
 */
final class Task implements Runnable {
    private final Runnable body;
    private Thread runner; // guarded by this

    Task(Runnable body) {
        this.body = body;
    }

    @Override
    public void run() {
        synchronized (this) {
            runner = Thread.currentThread();
        }
        try {
            body.run();
        } finally {
            synchronized (this) {
                runner = null;
            }
            Thread.interrupted(); // drop an interrupt of ours that came too late to matter
        }
    }

    /** Interrupts the body if it is running. */
    synchronized void interrupt() {
        if (runner != null) {
            runner.interrupt();
        }
    }
}
