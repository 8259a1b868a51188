package dev.breaker.worker.internal;

import dev.breaker.worker.WorkerContext;

import java.util.Optional;

/** The {@link WorkerContext} of the action or routine running on this thread. */
public final class CurrentContext {
    private static final ThreadLocal<WorkerContext> CURRENT = new ThreadLocal<>();

    private CurrentContext() {
    }

    public static Optional<WorkerContext> get() {
        return Optional.ofNullable(CURRENT.get());
    }

    static void set(WorkerContext ctx) {
        CURRENT.set(ctx);
    }

    static void clear() {
        CURRENT.remove();
    }
}
