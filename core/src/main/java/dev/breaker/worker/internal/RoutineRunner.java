package dev.breaker.worker.internal;

import dev.breaker.Breaker;
import dev.breaker.internal.Jfr;
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
 * <p>Thread-safe: {@link #requestStop()}, {@link #awaitExit()} and {@link #abandon} may be called
 * from any thread; everything else happens on the supervisor's own thread.
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

    /** Gives up on the routine's thread, if it has not exited: interrupted and left behind. */
    void abandon(WorkerThreads threads) {
        Thread t = thread;
        if (t != null && !exited.isDone()) {
            threads.abandon(t);
        }
    }

    /**
     * The supervisor. It survives anything the routine throws ({@link Error}s included) and
     * always ends in one of three ways: the worker was asked to stop, the policy said so
     * ({@code NOTHING}, {@code SHUTDOWN}, or the restart limit escalated), or it was interrupted
     * in its back-off by someone other than the graph, which escalates too. Nothing ends it
     * silently.
     */
    @Override
    public void run() {
        WorkerSpec spec = node.spec;
        ArrayDeque<Long> restarts = new ArrayDeque<>();
        long window = Time.nanos(spec.restartWindow());
        CurrentContext.set(new ContextImpl(engine, node, stop));
        try {
            while (true) {
                Throwable failure = null;
                try {
                    routine.run(ReadOnlyBreaker.of(stop));
                } catch (Throwable t) {
                    failure = t;
                }
                // an interrupt the routine left behind is not ours to act on, and would break the back-off
                boolean leaked = Thread.interrupted();
                if (stop.isBroken()) {
                    return; // asked to stop: whatever it did then is fine
                }
                if (leaked) {
                    GraphEngine.LOG.log(Level.WARNING, () -> Messages.routineLeakedInterrupt(node.name));
                }
                if (failure instanceof VirtualMachineError) {
                    // the JVM may be in no state to go on: shut down, whatever the policy
                    node.routineFailed(failure);
                    Throwable fatal = failure;
                    GraphEngine.LOG.log(Level.ERROR, () -> Messages.routineFatal(node.name, fatal), failure);
                    engine.escalate(failure);
                    return;
                }
                Policy policy = failure == null ? spec.onReturn() : spec.onError();
                if (failure != null) {
                    node.routineFailed(failure);
                    Throwable failed = failure;
                    GraphEngine.LOG.log(Level.WARNING, () -> Messages.routineFailed(node.name, failed, policy), failure);
                } else {
                    GraphEngine.LOG.log(Level.INFO, () -> Messages.routineReturned(node.name, policy));
                }
                switch (policy) {
                    case NOTHING:
                        return;
                    case SHUTDOWN:
                        engine.escalate(failure);
                        return;
                    case RESTART:
                    default:
                        long now = engine.clock.nanoTime();
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
                        Object flight = Jfr.AVAILABLE ? WorkerFlight.beginRestart() : null;
                        try {
                            if (!backoff.isZero() && engine.clock.await(stop, Time.capped(backoff))) {
                                return;
                            }
                        } catch (InterruptedException e) {
                            if (stop.isBroken()) {
                                return; // the graph interrupts only once it has asked us to stop
                            }
                            IllegalStateException ise = new IllegalStateException(
                                    Messages.backoffInterrupted(node.name), e);
                            node.routineFailed(ise);
                            GraphEngine.LOG.log(Level.ERROR, ise.getMessage());
                            engine.escalate(ise);
                            return;
                        }
                        if (stop.isBroken()) {
                            return;
                        }
                        node.restarts++;
                        if (flight != null) {
                            WorkerFlight.restarted(flight, node.name, node.restarts, failure);
                        }
                }
            }
        } catch (Throwable bug) { // ours (or the logger's): never end silently
            GraphEngine.LOG.log(Level.ERROR, () -> Messages.supervisorFailed(node.name), bug);
            try {
                engine.escalate(bug);
            } catch (Throwable ignored) {
                // nothing more we can do
            }
        } finally {
            CurrentContext.clear();
            exited.complete(null);
        }
    }

    /** {@code initial * 2^(n-1)}, at most {@code max}, for the n-th restart in the window. */
    static Duration backoff(WorkerSpec spec, int n) {
        Duration max = spec.backoffMax();
        Duration d = spec.backoffInitial();
        if (d.isZero()) {
            return d;
        }
        for (int i = 1; i < n && d.compareTo(max) < 0; i++) {
            d = Time.doubled(d, max); // saturates at max: never overflows, whatever max is
        }
        return d.compareTo(max) > 0 ? max : d;
    }
}
