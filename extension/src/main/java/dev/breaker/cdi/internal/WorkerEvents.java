package dev.breaker.cdi.internal;

import dev.breaker.worker.WorkerEvent;
import dev.breaker.worker.WorkerListener;
import dev.breaker.worker.WorkerState;
import jakarta.enterprise.inject.spi.BeanContainer;

import java.lang.System.Logger.Level;

/**
 * Publishes every worker state transition as a CDI event ({@code @Observes WorkerEvent}) and logs
 * each start and stop once, with its duration. An observer that throws is logged and does not
 * disturb the worker graph. Thread-safe: called concurrently from the graph's threads, it keeps
 * no state; observers are called on the thread of the transition.
 */
final class WorkerEvents implements WorkerListener {
    private static final System.Logger LOG = System.getLogger("dev.breaker.cdi");
    private final BeanContainer container;

    WorkerEvents(BeanContainer container) {
        this.container = container;
    }

    @Override
    public void onTransition(WorkerEvent e) {
        log(e);
        try {
            container.getEvent().select(WorkerEvent.class).fire(e);
        } catch (RuntimeException failure) {
            LOG.log(Level.WARNING, "an observer of WorkerEvent failed for worker '" + e.worker() + "'", failure);
        }
    }

    private static void log(WorkerEvent e) {
        long ms = e.elapsed() == null ? 0 : e.elapsed().toMillis();
        if (e.to() == WorkerState.RUNNING && e.from() == WorkerState.STARTING) {
            LOG.log(Level.INFO, "worker ''{0}'' started in {1} ms", e.worker(), ms);
        } else if (e.to() == WorkerState.STOPPED) {
            LOG.log(Level.INFO, "worker ''{0}'' stopped in {1} ms", e.worker(), ms);
        } else if (e.to() == WorkerState.FAILED) {
            LOG.log(Level.WARNING, "worker '" + e.worker() + "' failed after " + ms + " ms",
                    e.failure().orElse(null));
        }
    }
}
