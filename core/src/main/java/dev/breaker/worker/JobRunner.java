package dev.breaker.worker;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs one-shot jobs outside request scope, and lets a {@link WorkerGraph} wait for them
 * (workerctl's {@code JobRunner}). A job runner is a node of the graph: it starts after the
 * workers it depends on and its stop, which runs before theirs, rejects new jobs and waits for
 * the jobs in flight (bounded by its stop timeout).
 *
 * <p>Jobs submitted before the runner has started wait and run once it has; jobs submitted
 * once its stop has begun are rejected. Jobs run on the graph's threads.
 *
 * <p><b>Thread safety:</b> every method is safe from any thread.
 */
public interface JobRunner {

    /**
     * Accepts {@code job}; the result completes with what it returns or throws.
     *
     * @param <T> the type of the job's result
     * @param job the work to run once on a thread of the graph
     * @return a future that completes with the job's result, or exceptionally with what it threw
     * @throws RejectedExecutionException naming this runner, if its stop has begun (or the graph
     *                                    shut down before it started)
     * @throws NullPointerException       if {@code job} is null
     */
    <T> CompletableFuture<T> submit(Callable<T> job);

    /**
     * Jobs accepted and not yet finished (waiting or running).
     *
     * @return the count at the time of the call (a snapshot, for monitoring and tests)
     */
    int inFlight();

    /**
     * The runner's worker name.
     *
     * @return the name the runner has in its graph ({@link WorkerGraph#DEFAULT_JOBS} for
     *         {@link WorkerGraph#jobs()})
     */
    String name();
}
