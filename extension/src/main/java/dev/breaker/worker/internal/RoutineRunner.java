package dev.breaker.worker.internal;

import dev.breaker.Breaker;
import dev.breaker.worker.Policy;
import dev.breaker.worker.Routine;
import dev.breaker.worker.WorkerSpec;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Supervises one worker's {@link Routine} on its own thread (rutina, with suture's bounded
 * restarts): runs it, applies the worker's policy when it returns or throws before the worker is
 * asked to stop, restarts it with exponential back-off at most {@code maxRestarts} times within
 * the restart window, then escalates to a graph shutdown.
 *
 * <p>Thread-safe: {@link #requestStop()} and {@link #awaitExit()} may be called from any thread.
 */
final class RoutineRunner implements Runnable {
    private final GraphEngine engine;
    private final Node node;
    private final Routine routine;
    private final Breaker stop = Breaker.manual();
    private final CompletableFuture<Void> exited = new CompletableFuture<>();
    private volatile Thread thread;

    RoutineRunner(GraphEngine engine, Node node, Routine routine) {
        this.engine = engine;
        this.node = node;
        this.routine = routine;
    }

    void start(WorkerThreads threads) {
        Thread t = threads.newThread(node.name, this);
        thread = t;
        t.start();
    }

    /** Trips the routine's breaker. */
    void requestStop() {
        Trip.shutdown(stop, "worker '" + node.name + "'");
    }

    /** Waits until the routine's thread has left the routine for good. */
    void awaitExit() throws InterruptedException {
        try {
            exited.get();
        } catch (ExecutionException e) {
            throw new AssertionError(e); // never completed exceptionally
        }
    }

    /** Interrupts the routine's thread, if it has not exited. */
    void interrupt() {
        Thread t = thread;
        if (t != null && !exited.isDone()) {
            t.interrupt();
        }
    }

    @Override
    public void run() {
        WorkerSpec spec = node.spec;
        ArrayDeque<Long> restarts = new ArrayDeque<>();
        CurrentContext.set(new ContextImpl(engine, node, stop));
        try {
            while (true) {
                Throwable failure = null;
                try {
                    routine.run(ReadOnlyBreaker.of(stop));
                } catch (Throwable t) {
                    failure = t;
                    if (t instanceof VirtualMachineError) {
                        engine.abort(t);
                        throw (VirtualMachineError) t;
                    }
                }
                if (stop.isBroken()) {
                    return; // asked to stop: whatever it did then is fine
                }
                Policy policy = failure == null ? spec.onReturn() : spec.onError();
                if (failure != null) {
                    node.routineFailed(failure);
                    GraphEngine.LOG.log(Level.WARNING, Messages.routineReturned(node.name) + " with " + failure
                            + "; policy " + policy, failure);
                } else {
                    GraphEngine.LOG.log(Level.INFO, Messages.routineReturned(node.name) + "; policy " + policy);
                }
                switch (policy) {
                    case NOTHING:
                        return;
                    case SHUTDOWN:
                        engine.escalate(failure);
                        return;
                    case RESTART:
                    default:
                        long now = System.nanoTime();
                        long window = spec.restartWindow().toNanos();
                        while (!restarts.isEmpty() && now - restarts.peekFirst() > window) {
                            restarts.removeFirst();
                        }
                        if (restarts.size() >= spec.maxRestarts()) {
                            String msg = Messages.restartLimit(node.name, spec.maxRestarts(), spec.restartWindow());
                            GraphEngine.LOG.log(Level.ERROR, msg);
                            engine.escalate(failure != null ? failure : new IllegalStateException(msg));
                            return;
                        }
                        restarts.addLast(now);
                        Duration backoff = backoff(spec, restarts.size());
                        if (!backoff.isZero() && stop.await(backoff)) {
                            return;
                        }
                        if (stop.isBroken()) {
                            return;
                        }
                        node.restarts++;
                }
            }
        } catch (InterruptedException e) {
            // interrupted during back-off: only the graph does that, to stop us
        } finally {
            CurrentContext.clear();
            exited.complete(null);
        }
    }

    /** {@code initial * 2^(n-1)}, at most {@code max}, for the n-th restart in the window. */
    static Duration backoff(WorkerSpec spec, int n) {
        Duration d = spec.backoffInitial();
        for (int i = 1; i < n && d.compareTo(spec.backoffMax()) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(spec.backoffMax()) > 0 ? spec.backoffMax() : d;
    }
}
