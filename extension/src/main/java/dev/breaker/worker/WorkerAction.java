package dev.breaker.worker;

/**
 * A worker's start or stop. It runs on a thread of the graph with {@link WorkerContext#current()}
 * set; it should return promptly once {@code ctx.breaker()} trips.
 */
@FunctionalInterface
public interface WorkerAction {
    /** The action that does nothing (the default start and stop). */
    WorkerAction NOTHING = ctx -> { };

    void run(WorkerContext ctx) throws Exception;
}
