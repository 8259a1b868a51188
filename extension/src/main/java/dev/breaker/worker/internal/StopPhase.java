package dev.breaker.worker.internal;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;
import dev.breaker.worker.WorkerState;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * Stops the graph: each worker as soon as every worker depending on it has stopped (or failed
 * to, or overran its stop timeout), independent ones in parallel, so that the wall time is the
 * graph's critical path. Running workers get their routine stopped and their stop action run;
 * every worker, running or not, then has its bound resources closed. Each body is bounded by a
 * breaker that trips at the worker's stop timeout or at the shutdown deadline, whichever comes
 * first; a worker reached after the deadline is not stopped at all and is reported as timed out.
 * Driven by the thread that drives the shutdown.
 */
final class StopPhase extends Phase {
    private final boolean[] running;

    StopPhase(GraphEngine g) {
        super(g);
        running = new boolean[n];
    }

    void run() {
        try {
            for (Node node : g.nodes) {
                pending[node.index] = node.dependents.size();
            }
            for (Node node : g.nodes) {
                if (pending[node.index] == 0) {
                    launch(node);
                }
            }
            while (settledCount < n) {
                // the breakers trip at the deadline; waiting a little longer only guards against a late timer
                long left = g.deadlineNanos() + 1_000_000_000L - System.nanoTime();
                PhaseEvent e = left > 0 ? next(left) : null;
                if (e == null) {
                    expireInFlight();
                } else {
                    handle(e);
                }
            }
        } finally {
            restoreInterrupt();
        }
    }

    private boolean deadlinePassed() {
        return g.deadline().isBroken() || System.nanoTime() - g.deadlineNanos() >= 0;
    }

    private void launch(Node node) {
        int i = node.index;
        launched[i] = true;
        boolean run = node.state() == WorkerState.RUNNING;
        running[i] = run;
        began[i] = System.nanoTime();
        if (!run && node.resources.isEmpty()) {
            settle(node);
            release(node);
            return;
        }
        if (deadlinePassed()) {
            settle(node);
            if (run) {
                node.transition(g, WorkerState.STOPPING, null, null);
                timedOut(node, new TimeoutException(Messages.notStopped(node.name, g.shutdownTimeout())));
            }
            release(node);
            return;
        }
        if (run) {
            node.transition(g, WorkerState.STOPPING, null, null);
        }
        Breaker b = g.deadline().withTimeout(node.spec.stopTimeout());
        breakers[i] = b;
        b.onBreak(() -> {
            BreakReason.Kind kind = b.reason().map(BreakReason::kind).orElse(BreakReason.Kind.CLOSED);
            if (kind == BreakReason.Kind.TIMEOUT || kind == BreakReason.Kind.PARENT) {
                events.add(new PhaseEvent.Tripped(node));
            }
        });
        submit(node, () -> body(node, b, run));
    }

    /** On the executor. */
    private void body(Node node, Breaker b, boolean run) {
        Throwable thrown = null;
        if (run) {
            CurrentContext.set(new ContextImpl(g, node, b));
            try {
                RoutineRunner routine = node.routine;
                if (routine != null) {
                    routine.requestStop();
                    routine.awaitExit();
                }
                node.spec.onStop().run(CurrentContext.get().orElseThrow());
            } catch (Throwable t) {
                thrown = t;
            } finally {
                CurrentContext.clear();
            }
        }
        Throwable closing = null;
        try {
            closing = node.resources.closeAll();
        } catch (Throwable t) {
            closing = t;
        }
        thrown = Resources.merge(thrown, closing);
        events.add(new PhaseEvent.Done(node, thrown));
        if (thrown instanceof VirtualMachineError) {
            throw (VirtualMachineError) thrown;
        }
    }

    private void handle(PhaseEvent e) {
        if (e instanceof PhaseEvent.Done) {
            PhaseEvent.Done d = (PhaseEvent.Done) e;
            done(d.node(), d.failure());
        } else if (e instanceof PhaseEvent.Tripped) {
            Node node = ((PhaseEvent.Tripped) e).node();
            boolean parent = breakers[node.index].reason()
                    .map(r -> r.kind() == BreakReason.Kind.PARENT).orElse(false);
            if (settle(node)) {
                timedOut(node, new TimeoutException(parent
                        ? Messages.notStopped(node.name, g.shutdownTimeout())
                        : Messages.stopTimeout(node.name, node.spec.stopTimeout())));
                release(node);
            }
        }
    }

    private void done(Node node, Throwable thrown) {
        BreakReason.Kind kind = breakers[node.index] == null ? null
                : breakers[node.index].reason().map(BreakReason::kind).orElse(null);
        if (kind == BreakReason.Kind.TIMEOUT || kind == BreakReason.Kind.PARENT) {
            // it ended, but only after its timeout: the timer's event is still on its way
            handle(new PhaseEvent.Tripped(node));
            return;
        }
        if (!settle(node)) {
            return; // timed out before
        }
        int i = node.index;
        if (running[i]) {
            Duration took = elapsed(node);
            if (thrown == null) {
                node.transition(g, WorkerState.STOPPED, took, null);
                GraphEngine.LOG.log(Level.INFO, "worker ''{0}'' stopped in {1} ms", node.name, millis(took));
            } else {
                node.transition(g, WorkerState.FAILED, took, thrown);
                GraphEngine.LOG.log(Level.ERROR, "worker '" + node.name + "' failed to stop in " + millis(took)
                        + " ms", thrown);
            }
        } else if (thrown != null) {
            GraphEngine.LOG.log(Level.ERROR, "closing the resources of worker '" + node.name + "' failed", thrown);
        }
        if (thrown != null) {
            g.failures.put(node.name, thrown);
        }
        release(node);
    }

    private void timedOut(Node node, TimeoutException te) {
        int i = node.index;
        if (running[i]) {
            node.transition(g, WorkerState.FAILED, elapsed(node), te);
        }
        g.timedOut.add(node.name);
        GraphEngine.LOG.log(Level.WARNING, te.getMessage());
        if (tasks[i] != null) {
            tasks[i].interrupt();
        }
        RoutineRunner routine = node.routine;
        if (routine != null) {
            routine.interrupt();
        }
    }

    private void release(Node node) {
        for (Node d : node.dependencies) {
            if (--pending[d.index] == 0) {
                launch(d);
            }
        }
    }

    /** A late timer: treat every body still running as overrunning the deadline. */
    private void expireInFlight() {
        for (Node node : g.nodes) {
            int i = node.index;
            if (launched[i] && !settled[i]) {
                settle(node);
                timedOut(node, new TimeoutException(Messages.notStopped(node.name, g.shutdownTimeout())));
                release(node);
            }
        }
    }
}
