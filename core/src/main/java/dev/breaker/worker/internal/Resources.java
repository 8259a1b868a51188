package dev.breaker.worker.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The resources bound to one worker (or to the graph), closed once in reverse order of binding
 * (workerctl's {@code Closer}). Whatever a {@code close()} throws, {@link Error}s included, is
 * collected, never rethrown. Thread-safe.
 */
final class Resources {
    private final String owner;
    private final List<AutoCloseable> bound = new ArrayList<>(); // guarded by this
    private boolean closed; // guarded by this

    Resources(String owner, List<AutoCloseable> initial) {
        this.owner = owner;
        bound.addAll(initial);
    }

    void bind(AutoCloseable resource) {
        Objects.requireNonNull(resource, "resource");
        synchronized (this) {
            if (!closed) {
                bound.add(resource);
                return;
            }
        }
        IllegalStateException e = new IllegalStateException(Messages.bindAfterClose(owner));
        try {
            resource.close();
        } catch (Throwable t) { // Errors included: the caller's thread must survive user code
            e.addSuppressed(t);
        }
        throw e;
    }

    synchronized boolean isEmpty() {
        return bound.isEmpty();
    }

    /**
     * Closes every resource, last bound first; later binds close at once.
     *
     * @return null, or the first failure with the others attached as suppressed
     */
    Throwable closeAll() {
        List<AutoCloseable> toClose;
        synchronized (this) {
            if (closed) {
                return null;
            }
            closed = true;
            toClose = new ArrayList<>(bound);
            bound.clear();
        }
        Throwable failure = null;
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Throwable t) { // Errors included: the caller's thread must survive user code
                failure = merge(failure, t);
            }
        }
        return failure;
    }

    static Throwable merge(Throwable first, Throwable next) {
        if (first == null) {
            return next;
        }
        if (next != null && next != first) {
            first.addSuppressed(next);
        }
        return first;
    }
}
