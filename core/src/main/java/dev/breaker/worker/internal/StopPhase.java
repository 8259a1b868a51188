package dev.breaker.worker.internal;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;
import dev.breaker.worker.ShutdownReport;
import dev.breaker.worker.WorkerState;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * Stops the graph: each worker as soon as every worker depending on it has stopped (or failed
 * to, or overran its stop timeout), independent ones in parallel, so that the wall time is the
 * graph's critical path. Running workers get their routine stopped and their stop action run;
 * every worker, running or not, then has its bound resources closed.
 *
 * <p>Each body runs on the executor for bodies (see {@link WorkerThreads}) and is bounded by a
 * breaker that the body creates as it begins, so its clock starts when the body starts, never
 * while it waits for a thread: it trips at the worker's stop timeout or at the shutdown deadline, whichever comes
 * first. A body that overruns is given up on at once: its thread is interrupted and abandoned
 * (named in the report if still alive at the end), and its dependencies stop without waiting
 * for it. A worker reached after the deadline is not stopped at all and is reported as timed
 * out. Driven by the thread that drives the shutdown, and by stop threads as they end (see
 * {@link Phase}).
 */
final class StopPhase extends Phase {
    private final boolean[] running;
    /** What happened to each worker, once settled. */
    private final ShutdownReport.Outcome[] outcome;
    private int launchedCount;

    StopPhase(GraphEngine g) {
        super(g);
        running = new boolean[n];
        outcome = new ShutdownReport.Outcome[n];
    }

    /**
     * What happened to each worker, in declaration order, with times relative to
     * {@code shutdownBegan}; for the driver once {@link #run()} returned.
     */
    java.util.List<ShutdownReport.WorkerStop> stops(long shutdownBegan) {
        java.util.List<ShutdownReport.WorkerStop> list = new java.util.ArrayList<>(n);
        for (Node node : g.nodes) {
            int i = node.index;
            ShutdownReport.Outcome o = outcome[i] != null ? outcome[i] : ShutdownReport.Outcome.NOT_STOPPED;
            long from = launched[i] ? bodyBegan(i) : shutdownBegan;
            long to = settled[i] ? ended[i] : from;
            list.add(new ShutdownReport.WorkerStop(node.name, node.spec.dependsOn(),
                    Duration.ofNanos(Math.max(0, from - shutdownBegan)), Duration.ofNanos(Math.max(0, to - from)), o));
        }
        return list;
    }

    void run() {
        lock.lock();
        try {
            for (Node node : g.nodes) {
                pending[node.index] = node.dependents.size();
            }
            for (Node node : g.nodes) {
                if (pending[node.index] == 0) {
                    launch(node);
                }
            }
            while (!over()) {
                // the breakers trip at the deadline; waiting a little longer only guards against a late timer
                long left = g.deadlineNanos() + 1_000_000_000L - g.clock.nanoTime();
                PhaseEvent e = left > 0 ? await(left) : null;
                if (e == null) {
                    expireInFlight();
                } else {
                    handle(e);
                }
            }
        } finally {
            lock.unlock();
            restoreInterrupt();
        }
    }

    @Override
    boolean over() {
        return settledCount == n;
    }

    private boolean deadlinePassed() {
        return g.deadline().isBroken() || g.clock.nanoTime() - g.deadlineNanos() >= 0;
    }

    private void launch(Node node) {
        launchOne(node);
        if (++launchedCount == n) { // counted once its launch, and every launch that it made, is over
            g.threads().noMoreBodies(); // idle threads end now, while the last stops still run
        }
    }

    private void launchOne(Node node) {
        int i = node.index;
        launched[i] = true;
        boolean run = node.state() == WorkerState.RUNNING;
        running[i] = run;
        began[i] = g.clock.nanoTime();
        if (!run && node.resources.isEmpty()) {
            outcome[i] = ShutdownReport.Outcome.NOT_RUNNING;
            settle(node);
            release(node);
            return;
        }
        if (deadlinePassed()) {
            settle(node);
            if (run) {
                node.transition(g, WorkerState.STOPPING, null, null);
                outcome[i] = ShutdownReport.Outcome.NOT_STOPPED;
                timedOut(node, new TimeoutException(Messages.notStopped(node.name, g.shutdownTimeout())));
            }
            release(node);
            return;
        }
        if (run) {
            node.transition(g, WorkerState.STOPPING, null, null);
        }
        submit(node, "stop", task -> body(node, task, run));
    }

    /**
     * On the stop's own thread. Survives anything the stop or a resource throws, and always posts
     * its end.
     */
    private void body(Node node, Task task, boolean run) {
        Throwable thrown = null;
        try {
            if (run) {
                flightBegin(node, true); // before the breaker: its trip, and so its timeout, happen-after this
            }
            Breaker b = g.clock.timeout(g.deadline(), Time.capped(node.spec.stopTimeout())); // the clock starts now
            task.breaker(b);
            b.onBreak(() -> {
                BreakReason.Kind kind = b.reason().map(BreakReason::kind).orElse(BreakReason.Kind.CLOSED);
                if (kind == BreakReason.Kind.TIMEOUT || kind == BreakReason.Kind.PARENT) {
                    events.add(new PhaseEvent.Tripped(node));
                }
            });
            try {
                if (run) {
                    CurrentContext.set(new ContextImpl(g, node, b));
                    RoutineRunner routine = node.routine;
                    if (routine != null) {
                        routine.requestStop();
                        routine.awaitExit();
                    }
                    node.spec.onStop().run(CurrentContext.get().orElseThrow());
                }
            } catch (Throwable t) {
                thrown = t;
            } finally {
                CurrentContext.clear();
            }
            Throwable closing;
            try {
                closing = node.resources.closeAll();
            } catch (Throwable t) {
                closing = t;
            }
            thrown = Resources.merge(thrown, closing);
            b.close(); // a timeout that has not fired by now no longer counts
        } catch (Throwable t) {
            thrown = Resources.merge(thrown, t);
        } finally {
            finished(node, thrown);
        }
    }

    /** The breaker of {@code node}'s stop, once its body has begun; else null. */
    private Breaker breaker(Node node) {
        Task t = tasks[node.index];
        return t == null ? null : t.breaker();
    }

    @Override
    void handle(PhaseEvent e) {
        if (e instanceof PhaseEvent.Starved) {
            starved(((PhaseEvent.Starved) e).node());
        } else if (e instanceof PhaseEvent.Done) {
            PhaseEvent.Done d = (PhaseEvent.Done) e;
            done(d.node(), d.failure());
        } else if (e instanceof PhaseEvent.Tripped) {
            Node node = ((PhaseEvent.Tripped) e).node();
            Breaker b = breaker(node);
            boolean parent = b != null && b.reason().map(r -> r.kind() == BreakReason.Kind.PARENT).orElse(false);
            if (settle(node)) {
                timedOut(node, new TimeoutException(parent
                        ? Messages.notStopped(node.name, g.shutdownTimeout())
                        : Messages.stopTimeout(node.name, node.spec.stopTimeout())));
                release(node);
            }
        }
    }

    private void done(Node node, Throwable thrown) {
        Breaker b = breaker(node);
        BreakReason.Kind kind = b == null ? null : b.reason().map(BreakReason::kind).orElse(null);
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
            outcome[i] = thrown == null ? ShutdownReport.Outcome.STOPPED : ShutdownReport.Outcome.FAILED;
            flightEnd(node, true, outcome[i].name(), false, thrown);
            if (thrown == null) {
                node.transition(g, WorkerState.STOPPED, took, null);
                GraphEngine.LOG.log(Level.INFO, Messages.WORKER_STOPPED_PATTERN, node.name, millis(took));
            } else {
                node.transition(g, WorkerState.FAILED, took, thrown);
                GraphEngine.LOG.log(Level.ERROR, () -> Messages.stopFailed(node.name, millis(took)), thrown);
            }
        } else {
            outcome[i] = ShutdownReport.Outcome.NOT_RUNNING;
        }
        if (!running[i] && thrown != null) {
            GraphEngine.LOG.log(Level.ERROR, () -> Messages.closingFailed(node.name), thrown);
        }
        if (thrown != null) {
            g.failures.put(node.name, thrown);
        }
        release(node);
    }

    /** Gives up on {@code node}'s stop: reported, its threads (stop, routine, jobs) interrupted and abandoned. */
    private void timedOut(Node node, TimeoutException te) {
        int i = node.index;
        if (outcome[i] == null) {
            outcome[i] = ShutdownReport.Outcome.TIMED_OUT;
        }
        if (running[i]) {
            if (outcome[i] == ShutdownReport.Outcome.NOT_STOPPED) {
                flightEnd(node, true, outcome[i].name(), false, te);
            } else {
                flightEnd(node, true, outcome[i].name(), tasks[i] != null, te);
            }
            node.transition(g, WorkerState.FAILED, elapsed(node), te);
        }
        g.timedOut.add(node.name);
        GraphEngine.LOG.log(Level.WARNING, te.getMessage());
        abandon(node);
        RoutineRunner routine = node.routine;
        if (routine != null) {
            routine.abandon(g.threads());
        }
        if (node.spec.onStop() instanceof JobRunnerImpl.Drain) {
            ((JobRunnerImpl.Drain) node.spec.onStop()).abandonJobs(g.threads());
        }
    }

    private void release(Node node) {
        for (Node d : node.dependencies) {
            if (--pending[d.index] == 0) {
                launchedBy[d.index] = node.index;
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
