package dev.breaker.worker.internal;

import dev.breaker.worker.WorkerEvent;
import dev.breaker.worker.WorkerInfo;
import dev.breaker.worker.WorkerSpec;
import dev.breaker.worker.WorkerState;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One worker at run time: its spec, its place in the graph and its observable state.
 *
 * <p><b>Threading.</b> {@link #transition} is called only by the thread driving the graph (one
 * at a time, handed over under the engine's lock); the observable fields are volatile so that
 * {@link #info()} is safe from any thread.
 */
final class Node {
    final int index;
    final String name;
    final WorkerSpec spec;
    final List<Node> dependencies = new ArrayList<>(); // fixed after construction of the graph
    final List<Node> dependents = new ArrayList<>();   // fixed after construction of the graph
    final Resources resources;

    private volatile WorkerState state = WorkerState.NEW;
    private volatile Duration startDuration;
    private volatile Duration stopDuration;
    private volatile Throwable failure;
    volatile int restarts;
    volatile RoutineRunner routine;

    Node(int index, WorkerSpec spec) {
        this.index = index;
        this.name = spec.name();
        this.spec = spec;
        this.resources = new Resources("worker '" + name + "'", spec.resources());
    }

    WorkerState state() {
        return state;
    }

    /** Moves to {@code to} and tells the listener; {@code elapsed} is the phase that ended, or null. */
    void transition(GraphEngine engine, WorkerState to, Duration elapsed, Throwable failure) {
        WorkerState from = state;
        if (from == WorkerState.STARTING) {
            startDuration = elapsed;
        } else if (from == WorkerState.STOPPING) {
            stopDuration = elapsed;
        }
        if (failure != null) {
            this.failure = failure;
        }
        state = to;
        engine.fire(new WorkerEvent(name, from, to, elapsed == null ? Duration.ZERO : elapsed, failure));
    }

    /** Records a routine failure that did not change the state. */
    void routineFailed(Throwable t) {
        failure = t;
    }

    WorkerInfo info() {
        return new WorkerInfo(name, state, spec.dependsOn(), startDuration, stopDuration, failure, restarts);
    }

    @Override
    public String toString() {
        return name;
    }
}
