package dev.breaker.tck.dag;

import dev.breaker.tck.fixtures.RecordingWorker;

/** A DAG node: its start and stop each take a couple of milliseconds, so independent ones overlap. */
public abstract class DagNode extends RecordingWorker {
    @Override
    protected void onStart() {
        work(2);
    }

    @Override
    protected void onStop() {
        work(2);
    }
}
