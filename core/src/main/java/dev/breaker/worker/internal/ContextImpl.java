package dev.breaker.worker.internal;

import dev.breaker.Breaker;
import dev.breaker.worker.WorkerContext;

/** One worker's context for one phase (start, stop, routine). Thread-safe. */
final class ContextImpl implements WorkerContext {
    final GraphEngine engine;
    private final Node node;
    private final Breaker breaker;

    ContextImpl(GraphEngine engine, Node node, Breaker breaker) {
        this.engine = engine;
        this.node = node;
        this.breaker = ReadOnlyBreaker.of(breaker);
    }

    @Override
    public String name() {
        return node.name;
    }

    @Override
    public Breaker breaker() {
        return breaker;
    }

    @Override
    public void abort(Throwable cause) {
        engine.abort(cause);
    }

    @Override
    public void bind(AutoCloseable resource) {
        node.resources.bind(resource);
    }

    @Override
    public String toString() {
        return "WorkerContext[" + node.name + "]";
    }
}
