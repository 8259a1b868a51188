package dev.breaker.tck.server.app;

import dev.breaker.Breaker;
import dev.breaker.cdi.BreakerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Duration;

/**
 * Issue 28's handler on a real server: one application scoped resource, one injected
 * {@code breaker.request.timeout=1s} breaker field, and each request bounded by a breaker of its
 * own. {@code GET shared?ms=N} waits up to N ms for the request's breaker and answers {@code ok},
 * or {@code broken <reason>} when it tripped.
 */
@Path("shared")
@ApplicationScoped
@Produces(MediaType.TEXT_PLAIN)
public class SharedBreakerResource {
    @Inject
    @BreakerConfig("request")
    Breaker breaker;

    @GET
    public String get(@QueryParam("ms") long ms) throws InterruptedException {
        if (ms > 0) {
            breaker.await(Duration.ofMillis(ms));
        }
        return breaker.isBroken() ? "broken " + breaker.reason().orElseThrow() : "ok";
    }
}
