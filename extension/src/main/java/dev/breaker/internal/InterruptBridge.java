package dev.breaker.internal;

import dev.breaker.BreakReason;
import dev.breaker.BrokenException;

import java.util.concurrent.Callable;

/**
 * Interrupts one thread for the span of one call if a breaker trips meanwhile, and clears that
 * interrupt when the call ends. The interrupting action and the end of the call synchronise on
 * the bridge, so the thread is never interrupted after the call has ended.
 */
final class InterruptBridge implements Runnable {
    private final Thread thread;
    /** Guarded by this: 0 = running, 1 = interrupted by us, 2 = call ended. */
    private int state;

    private InterruptBridge(Thread thread) {
        this.thread = thread;
    }

    static <T> T call(AbstractBreaker breaker, Callable<T> task) throws Exception {
        if (task == null) {
            throw new NullPointerException("task must not be null");
        }
        breaker.throwIfBroken();
        InterruptBridge bridge = new InterruptBridge(Thread.currentThread());
        T result;
        Throwable failure = null;
        try (dev.breaker.Breaker.Registration ignored = breaker.onBreak(bridge)) {
            result = task.call();
        } catch (Throwable t) {
            failure = t;
            result = null;
        }
        boolean interrupted = bridge.end();
        if (failure == null) {
            return result;
        }
        BreakReason reason = breaker.reasonOrNull();
        if (reason != null && (interrupted || !(failure instanceof BrokenException))) {
            throw new BrokenException(reason, failure);
        }
        if (failure instanceof Exception) {
            throw (Exception) failure;
        }
        throw (Error) failure;
    }

    @Override
    public synchronized void run() {
        if (state == 0) {
            state = 1;
            thread.interrupt();
        }
    }

    /** Ends the span; clears our interrupt if we delivered one. */
    private synchronized boolean end() {
        boolean ours = state == 1;
        state = 2;
        if (ours) {
            Thread.interrupted();
        }
        return ours;
    }
}
