package dev.breaker.worker;

import dev.breaker.Breaker;
import dev.breaker.worker.internal.CurrentContext;

import java.util.Optional;

/**
 * What a worker's start action, stop action and routine are given. A context is bound to one
 * worker and one phase; it is safe to use from any thread, and to keep after the phase (its
 * breaker then stays tripped or is released).
 */
public interface WorkerContext {

    /**
     * The worker's name.
     *
     * @return the name, as in its {@link WorkerSpec#name()}
     */
    String name();

    /**
     * The breaker of the current phase. During the start: trips at the start timeout or when the
     * graph's shutdown begins. During the stop: trips at the stop timeout (or at the shutdown
     * timeout, if sooner). In the routine: trips when the worker is asked to stop. Closing it
     * has no effect on the graph.
     *
     * @return the phase's breaker, the same one on every call of this context
     */
    Breaker breaker();

    /**
     * Asks the whole graph to shut down with {@code cause}; returns at once.
     *
     * @param cause why, kept as the {@link ShutdownReport#cause()} if it is the first
     * @throws NullPointerException if {@code cause} is null
     * @see WorkerGraph#abort(Throwable)
     */
    void abort(Throwable cause);

    /**
     * Binds {@code resource} to this worker: it is closed after this worker and every worker
     * depending on it have stopped, in reverse order of binding (also when the start fails).
     * Binding after that has happened closes the resource at once and throws
     * {@link IllegalStateException}.
     *
     * @param resource closed by the graph; a failure to close it is reported under this worker's
     *                 name in the {@link ShutdownReport}
     * @throws NullPointerException  if {@code resource} is null
     * @throws IllegalStateException if this worker's resources have been closed already
     */
    void bind(AutoCloseable resource);

    /**
     * The context of the start action, stop action or routine running on this thread, if any.
     * The CDI extension reads the stop deadline of a {@code @PreDestroy} from here.
     *
     * @return the context of the phase running on this thread, or empty on any other thread
     */
    static Optional<WorkerContext> current() {
        return CurrentContext.get();
    }
}
