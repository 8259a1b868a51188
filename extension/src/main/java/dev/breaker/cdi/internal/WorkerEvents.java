package dev.breaker.cdi.internal;

import dev.breaker.worker.WorkerEvent;
import dev.breaker.worker.WorkerListener;
import jakarta.enterprise.event.Event;
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
    /** Resolved once: {@code Event} implementations are thread-safe and cache observer resolution. */
    private final Event<WorkerEvent> events;

    WorkerEvents(BeanContainer container) {
        this.events = container.getEvent().select(WorkerEvent.class);
    }

    @Override
    public void onTransition(WorkerEvent e) {
        try {
            events.fire(e);
        } catch (RuntimeException failure) {
            LOG.log(Level.WARNING, "an observer of WorkerEvent failed on " + e, failure);
        }
    }
}
