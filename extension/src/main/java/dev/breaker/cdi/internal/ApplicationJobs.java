package dev.breaker.cdi.internal;

import dev.breaker.worker.JobRunner;
import dev.breaker.worker.WorkerGraph;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * The application's job runner, {@code @Inject JobRunner}: the worker graph's default runner,
 * which depends on every worker, so at shutdown it stops taking jobs and drains the ones in
 * flight before any worker stops. It rejects jobs before the workers have started and from the
 * moment the application begins to shut down.
 * Thread-safe: reads the lifecycle's volatile graph on each call.
 */
final class ApplicationJobs implements JobRunner {
    private final WorkerLifecycle lifecycle;
    private final BreakerSource breakers;

    ApplicationJobs(WorkerLifecycle lifecycle, BreakerSource breakers) {
        this.lifecycle = lifecycle;
        this.breakers = breakers;
    }

    @Override
    public <T> CompletableFuture<T> submit(Callable<T> job) {
        WorkerGraph graph = lifecycle.graph();
        if (graph == null) {
            throw new RejectedExecutionException("Breaker: job rejected: the workers have not started yet");
        }
        if (breakers.shutdownBreaker().isBroken()) {
            throw new RejectedExecutionException("Breaker: job rejected: the application is shutting down");
        }
        return graph.jobs().submit(job);
    }

    @Override
    public int inFlight() {
        WorkerGraph graph = lifecycle.graph();
        return graph == null ? 0 : graph.jobs().inFlight();
    }

    @Override
    public String name() {
        return WorkerGraph.DEFAULT_JOBS;
    }
}
