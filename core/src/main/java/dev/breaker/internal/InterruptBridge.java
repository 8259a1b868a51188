package dev.breaker.internal;

import dev.breaker.BreakReason;
import dev.breaker.BrokenException;

import java.util.concurrent.Callable;

/**
 * Interrupts one thread for the span of one call if a breaker trips meanwhile, and clears that
 * interrupt when the call ends. The interrupting action and the end of the call synchronise on
 * the bridge, so the thread is never interrupted after the call has ended.
 *
 * <p>An interrupt from anyone else is kept: if the thread is already interrupted when the breaker
 * trips, the bridge delivers nothing and clears nothing. (An interrupt that arrives from elsewhere
 * after the bridge's own, before the task has consumed it, cannot be told apart from it: the
 * JVM keeps one flag.)
 */
final class InterruptBridge implements InternalAction {
    private final Thread thread;
    /** Guarded by this: 0 = running, 1 = interrupted by us, 2 = call ended, 3 = found interrupted. */
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
        AbstractBreaker.Listener link = breaker.linkInternal(bridge);
        if (!link.wasLinked()) {
            breaker.throwIfBroken(); // tripped since the check above
        }
        T result;
        Throwable failure = null;
        try {
            result = task.call();
        } catch (Throwable t) {
            failure = t;
            result = null;
        } finally {
            link.cancel();
        }
        int ended = bridge.end();
        boolean interrupted = ended == 1;
        if (failure == null) {
            return result;
        }
        BreakReason reason = breaker.reasonOrNull();
        if (reason != null && (interrupted || ended == 3 || !(failure instanceof BrokenException))) {
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
            if (thread.isInterrupted()) {
                state = 3; // someone else's interrupt is pending: it is theirs to clear
            } else {
                state = 1;
                thread.interrupt();
            }
        }
    }

    /** Ends the span; clears our interrupt if we delivered one; returns the state before. */
    private synchronized int end() {
        int was = state;
        boolean ours = was == 1;
        state = 2;
        if (ours) {
            Thread.interrupted();
        }
        return was;
    }
}
