package dev.breaker.worker.internal;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;
import dev.breaker.worker.WorkerStartException;
import dev.breaker.worker.WorkerState;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

/**
 * Starts the graph: each worker as soon as all its dependencies are {@code RUNNING}, independent
 * ones in parallel. The first failure (exception or start timeout) halts it, as does the
 * beginning of shutdown: nothing new starts, every start breaker trips, and the phase waits for
 * the starts in flight so that the stop phase knows exactly what is running; each for at most
 * its worker's stop timeout after shutdown began (and never past the shutdown timeout), after
 * which it is reported as timed out and its thread is abandoned, so that the rollback of what
 * did start still has time to run.
 * Driven by the thread that called {@link GraphEngine#start()}, and by start threads as they
 * end (see {@link Phase}).
 */
final class StartPhase extends Phase {
    private WorkerStartException failure;

    StartPhase(GraphEngine g) {
        super(g);
    }

    /** @return the start failure, or null if every worker started or shutdown halted the start */
    WorkerStartException run() {
        Breaker.Registration wake = g.stoppingSource().onBreak(() -> events.add(PhaseEvent.WAKE));
        lock.lock();
        try {
            for (Node node : g.nodes) {
                pending[node.index] = node.dependencies.size();
            }
            for (Node node : g.nodes) {
                if (pending[node.index] == 0 && !halted()) {
                    launch(node);
                }
            }
            while (!over()) {
                if (halted()) {
                    long until = g.deadlineNanos();
                    for (Node node : g.nodes) {
                        if (launched[node.index] && !settled[node.index] && giveUp(node) - until < 0) {
                            until = giveUp(node);
                        }
                    }
                    long left = until - g.clock.nanoTime();
                    PhaseEvent e = left > 0 ? await(left) : null;
                    if (e != null) {
                        handle(e);
                    } else if (g.clock.nanoTime() - g.deadlineNanos() >= 0) {
                        expireInFlight();
                        break;
                    } else {
                        expireOverdue();
                    }
                } else {
                    PhaseEvent e = await(-1);
                    if (e != null) {
                        handle(e);
                    }
                }
            }
            return failure;
        } finally {
            lock.unlock();
            wake.close();
            restoreInterrupt();
        }
    }

    @Override
    boolean over() {
        return settledCount == n || halted() && inFlight == 0;
    }

    private boolean halted() {
        return failure != null || g.stopRequested();
    }

    private void launch(Node node) {
        int i = node.index;
        launched[i] = true;
        began[i] = g.clock.nanoTime();
        node.transition(g, WorkerState.STARTING, null, null);
        Optional<Duration> timeout = node.spec.startTimeout();
        Breaker b;
        if (timeout.isPresent()) {
            b = g.clock.timeout(g.stoppingSource(), Time.capped(timeout.get()));
            b.onBreak(() -> {
                if (b.reason().map(r -> r.kind() == BreakReason.Kind.TIMEOUT).orElse(false)) {
                    events.add(new PhaseEvent.Tripped(node));
                }
            });
        } else {
            b = Breaker.multiplex(g.stoppingSource());
        }
        breakers[i] = b;
        submit(node, "start", task -> body(node, b));
    }

    /** On the start's own thread. Survives anything the start throws, and always posts its end. */
    private void body(Node node, Breaker b) {
        if (g.stopRequested()) {
            finished(node, new CancellationException(Messages.startNotRun(node.name)));
            return;
        }
        Throwable thrown = null;
        try {
            flightBegin(node, false);
            CurrentContext.set(new ContextImpl(g, node, b));
            node.spec.onStart().run(CurrentContext.get().orElseThrow());
        } catch (Throwable t) {
            thrown = t;
        } finally {
            CurrentContext.clear();
            finished(node, thrown);
        }
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
            if (settle(node)) {
                Duration timeout = node.spec.startTimeout().orElseThrow();
                TimeoutException te = new TimeoutException(Messages.startTimeout(node.name, timeout));
                flightEnd(node, false, "TIMED_OUT", true, te);
                failed(node, te);
                abandon(node);
            }
        }
    }

    private void done(Node node, Throwable thrown) {
        boolean overran = node.spec.startTimeout().isPresent() && breakers[node.index].reason()
                .map(r -> r.kind() == BreakReason.Kind.TIMEOUT).orElse(false);
        if (!settle(node)) {
            return; // timed out before
        }
        if (overran) { // it ended, but only after its start timeout: the timer's event is still on its way
            TimeoutException te = new TimeoutException(Messages.startTimeout(node.name, node.spec.startTimeout().get()));
            flightEnd(node, false, "TIMED_OUT", false, te);
            failed(node, te);
            return;
        }
        if (thrown != null) {
            flightEnd(node, false, "FAILED", false, thrown);
            failed(node, thrown);
            return;
        }
        flightEnd(node, false, "STARTED", false, null);
        Duration took = elapsed(node);
        node.transition(g, WorkerState.RUNNING, took, null);
        GraphEngine.LOG.log(Level.INFO, Messages.WORKER_STARTED_PATTERN, node.name, millis(took));
        if (halted()) {
            return;
        }
        node.spec.routine().ifPresent(r -> {
            RoutineRunner runner = new RoutineRunner(g, node, r);
            node.routine = runner;
            runner.start(g.threads());
        });
        for (Node d : node.dependents) {
            if (--pending[d.index] == 0) {
                launchedBy[d.index] = node.index;
                launch(d);
            }
        }
    }

    private void failed(Node node, Throwable thrown) {
        boolean consequence = halted();
        node.transition(g, WorkerState.FAILED, elapsed(node), thrown);
        if (consequence) {
            GraphEngine.LOG.log(Level.INFO, () -> Messages.startEndedDuringShutdown(node.name, thrown));
            return;
        }
        GraphEngine.LOG.log(Level.ERROR, () -> Messages.startFailed(node.name), thrown);
        failure = new WorkerStartException(node.name, Messages.startFailed(node.name) + ": " + thrown, thrown);
        g.requestStop(failure);
    }

    /**
     * When the start of {@code node}, still running once shutdown began, is given up on: its
     * stop timeout after shutdown began (its start breaker tripped then), as if it were its stop.
     */
    private long giveUp(Node node) {
        return g.stopBeganNanos() + Time.nanos(node.spec.stopTimeout());
    }

    /** Gives up on the starts that did not give way within their stop timeout after shutdown began. */
    private void expireOverdue() {
        long now = g.clock.nanoTime();
        for (Node node : g.nodes) {
            int i = node.index;
            if (launched[i] && !settled[i] && now - giveUp(node) >= 0) {
                settle(node);
                TimeoutException te = new TimeoutException(Messages.startDidNotGiveWay(node.name,
                        node.spec.stopTimeout()));
                flightEnd(node, false, "TIMED_OUT", true, te);
                node.transition(g, WorkerState.FAILED, elapsed(node), te);
                g.timedOut.add(node.name);
                GraphEngine.LOG.log(Level.WARNING, te.getMessage());
                abandon(node);
            }
        }
    }

    /** The shutdown timeout elapsed while starts were still running. */
    private void expireInFlight() {
        for (Node node : g.nodes) {
            int i = node.index;
            if (launched[i] && !settled[i]) {
                settle(node);
                TimeoutException te = new TimeoutException(Messages.stillStarting(node.name, g.shutdownTimeout()));
                flightEnd(node, false, "TIMED_OUT", true, te);
                node.transition(g, WorkerState.FAILED, elapsed(node), te);
                g.timedOut.add(node.name);
                GraphEngine.LOG.log(Level.WARNING, te.getMessage());
                abandon(node);
            }
        }
    }
}
