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
 * the moment shutdown begins (before any worker stops), so a load balancer stops sending
 * traffic while in-flight work drains. Each worker's state is in the response data.
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
        boolean shuttingDown = breakers.shutdownBreaker().isBroken();
        boolean up = lifecycle.isRunning() && !shuttingDown;
        Map<String, Object> data = new LinkedHashMap<>();
        if (shuttingDown) {
            data.put("shutdown", "begun");
        }
        lifecycle.workers().forEach(w -> data.put(w.name(), w.state().name()));
        // the constructor, not the builder: the builder needs an implementation's provider
        return new HealthCheckResponse(NAME, up ? Status.UP : Status.DOWN, Optional.of(data));
    }
}
