package dev.breaker.worker;

/**
 * A worker's start or stop. It runs on a thread of the graph with {@link WorkerContext#current()}
 * set; it should return promptly once {@code ctx.breaker()} trips. One that does not is
 * interrupted at its timeout and then left behind (see {@link ShutdownReport#abandonedThreads()});
 * whatever it throws, {@link Error}s included, is the worker's failure. The graph calls each
 * action at most once per worker, and never a worker's start and stop at the same time;
 * different workers' actions run concurrently, so actions that share state must synchronise.
 */
@FunctionalInterface
public interface WorkerAction {
    /** The action that does nothing (the default start and stop). */
    WorkerAction NOTHING = ctx -> { };

    /**
     * Runs the start or the stop.
     *
     * @param ctx the worker's context for this phase: its name, its breaker, and a way to abort
     *            the graph or bind resources; also found with {@link WorkerContext#current()}
     * @throws Exception the worker's failure: a failed start rolls the graph back, a failed stop
     *                   is reported in the {@link ShutdownReport}
     */
    void run(WorkerContext ctx) throws Exception;
}
