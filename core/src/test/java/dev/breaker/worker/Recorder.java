package dev.breaker.worker;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** A listener that records every transition, in order, and checks ordering along edges. */
final class Recorder implements WorkerListener {
    private final List<WorkerEvent> events = new ArrayList<>();

    @Override
    public synchronized void onTransition(WorkerEvent event) {
        events.add(event);
    }

    synchronized List<WorkerEvent> events() {
        return List.copyOf(events);
    }

    /** Index of the first event of {@code worker} to state {@code to}, or -1. */
    synchronized int indexOf(String worker, WorkerState to) {
        for (int i = 0; i < events.size(); i++) {
            WorkerEvent e = events.get(i);
            if (e.worker().equals(worker) && e.to() == to) {
                return i;
            }
        }
        return -1;
    }

    /** Index of the event that ended {@code worker}'s stop (to STOPPED or FAILED from STOPPING). */
    synchronized int stopEnd(String worker) {
        for (int i = 0; i < events.size(); i++) {
            WorkerEvent e = events.get(i);
            if (e.worker().equals(worker) && e.from() == WorkerState.STOPPING) {
                return i;
            }
        }
        return -1;
    }

    synchronized List<String> transitionsOf(String worker) {
        List<String> out = new ArrayList<>();
        for (WorkerEvent e : events) {
            if (e.worker().equals(worker)) {
                out.add(e.from() + "->" + e.to());
            }
        }
        return out;
    }

    /**
     * For every edge (a depends on b) of the graph: b was RUNNING before a began STARTING, and
     * a's stop (if it was stopped) ended before b began STOPPING.
     */
    void assertEdgesRespected(WorkerGraph graph) {
        for (WorkerInfo a : graph.workers()) {
            for (String b : a.dependsOn()) {
                int bRunning = indexOf(b, WorkerState.RUNNING);
                int aStarting = indexOf(a.name(), WorkerState.STARTING);
                if (aStarting >= 0) {
                    assertTrue(bRunning >= 0 && bRunning < aStarting,
                            a.name() + " started before its dependency " + b + " was running");
                }
                int bStopping = indexOf(b, WorkerState.STOPPING);
                if (bStopping >= 0 && indexOf(a.name(), WorkerState.STOPPING) >= 0) {
                    int aEnd = stopEnd(a.name());
                    if (aEnd < 0 || aEnd > bStopping) {
                        fail(b + " began stopping before its dependent " + a.name() + " had stopped");
                    }
                }
            }
        }
    }
}
