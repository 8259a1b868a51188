package dev.breaker.cdi.internal;

import dev.breaker.worker.WorkerGraph;

/**
 * Not API: how an integration module of this project (such as {@code breaker-opentelemetry})
 * follows the worker graph of a CDI application, which the extension builds. Every bean of this
 * type is told, on the thread that starts the workers ({@link WorkerLifecycle}), before the
 * graph is built (to add a {@link dev.breaker.worker.WorkerListener}) and once it is built,
 * before it starts; in the order the container lists the beans. No bean of this type: nothing
 * changes.
 *
 * <p>An implementation must not throw, must not start or stop the graph, and must keep any
 * registration it makes undoable (its own {@code @PreDestroy}).
 */
public interface GraphHook {
    /**
     * The graph is about to be built.
     *
     * @param builder the graph's builder; the hook may add listeners to it and must not build it
     */
    void building(WorkerGraph.Builder builder);

    /**
     * The graph is built and not yet started.
     *
     * @param graph the application's worker graph, in state NEW
     */
    void built(WorkerGraph graph);
}
