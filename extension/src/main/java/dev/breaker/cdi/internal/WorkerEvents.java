package dev.breaker.cdi.internal;

import dev.breaker.worker.WorkerEvent;
import dev.breaker.worker.WorkerListener;
import jakarta.enterprise.inject.spi.BeanContainer;

import java.lang.System.Logger.Level;

/**
 * Publishes every worker state transition as a CDI event ({@code @Observes WorkerEvent}). The
 * worker graph itself logs each start and stop once, with its duration, so this class does not
 * log them again. An observer that throws is logged and does not disturb the worker graph.
 * Thread-safe: called concurrently from the graph's threads, it keeps no state; observers are
 * called synchronously on the thread of the transition.
 */
final class WorkerEvents implements WorkerListener {
    private static final System.Logger LOG = System.getLogger("dev.breaker.cdi");
    private final BeanContainer container;

    WorkerEvents(BeanContainer container) {
        this.container = container;
    }

    @Override
    public void onTransition(WorkerEvent e) {
        try {
            container.getEvent().select(WorkerEvent.class).fire(e);
        } catch (RuntimeException failure) {
            LOG.log(Level.WARNING, "an observer of WorkerEvent failed on " + e, failure);
        }
    }
}
