package dev.breaker.cdi.internal.health;

import dev.breaker.cdi.internal.BreakerSource;
import dev.breaker.cdi.internal.WorkerLifecycle;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponse.Status;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the application as Breaker sees it: UP once every worker has started, DOWN from
 * the moment shutdown is announced (at SIGTERM, {@code breaker.shutdown.readiness-delay} before
 * any worker stops or any breaker trips), so a load balancer stops sending traffic while the
 * instance still serves and in-flight work drains. Each worker's state is in the response data,
 * and {@code shutdown}: {@code announced} (still serving) or {@code begun} (stopping).
 *
 * <p>Registered by the extensions only when the MicroProfile Health API is on the class path;
 * it carries no bean-defining annotation so annotated discovery never sees it otherwise.
 * Thread-safe: reads thread-safe state only.
 */
@Readiness
public class WorkersReadiness implements HealthCheck {
    static final String NAME = "breaker-workers";

    @Override
    public HealthCheckResponse call() {
        WorkerLifecycle lifecycle = HealthIntegration.current(WorkerLifecycle.class);
        BreakerSource breakers = HealthIntegration.current(BreakerSource.class);
        boolean begun = breakers.shutdownBegun();
        boolean announced = lifecycle.isAnnounced();
        boolean up = lifecycle.isRunning() && !begun && !announced;
        Map<String, Object> data = new LinkedHashMap<>();
        if (begun) {
            data.put("shutdown", "begun");
        } else if (announced) {
            data.put("shutdown", "announced"); // the workers still run, for breaker.shutdown.readiness-delay
        }
        lifecycle.workers().forEach(w -> data.put(w.name(), w.state().name()));
        // the constructor, not the builder: the builder needs an implementation's provider
        return new HealthCheckResponse(NAME, up ? Status.UP : Status.DOWN, Optional.of(data));
    }
}
