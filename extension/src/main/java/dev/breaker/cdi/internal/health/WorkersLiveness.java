package dev.breaker.cdi.internal.health;

import dev.breaker.cdi.internal.WorkerLifecycle;
import dev.breaker.worker.WorkerState;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponse.Status;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness as Breaker sees it: DOWN when a worker has failed or a worker aborted the
 * application (a routine escalated, or {@code WorkerContext.abort}), so the orchestrator
 * restarts the process. A normal shutdown is not a failure. Registered like
 * {@link WorkersReadiness}. Thread-safe.
 */
@Liveness
public class WorkersLiveness implements HealthCheck {
    @Override
    public HealthCheckResponse call() {
        WorkerLifecycle lifecycle = HealthIntegration.current(WorkerLifecycle.class);
        Map<String, Object> data = new LinkedHashMap<>();
        lifecycle.workers().stream().filter(w -> w.state() == WorkerState.FAILED).forEach(w ->
                data.put(w.name(), "FAILED: " + w.failure().map(Throwable::toString).orElse("?")));
        lifecycle.abortCause().ifPresent(cause -> data.put("aborted", cause.toString()));
        return new HealthCheckResponse(WorkersReadiness.NAME, data.isEmpty() ? Status.UP : Status.DOWN,
                Optional.of(data));
    }
}
