package dev.breaker.tck.server.redeploy;

import dev.breaker.Breaker;
import dev.breaker.CurrentBreaker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.MediaType;

import java.time.Duration;

/**
 * {@code GET /api/redeploy}: whether {@link CurrentBreaker#get()} finds the request's breaker and
 * a 50 ms breaker trips on time, as {@code ok current=<bool> tripped=<bool>}.
 */
@Path("redeploy")
@ApplicationScoped
@Produces(MediaType.TEXT_PLAIN)
public class RedeployResource {
    @GET
    public String get() throws InterruptedException {
        boolean current = CurrentBreaker.get().isPresent();
        boolean tripped;
        try (Breaker quick = Breaker.byTimeout(Duration.ofMillis(50))) {
            tripped = quick.await(Duration.ofSeconds(10));
        }
        return "ok current=" + current + " tripped=" + tripped;
    }

    /** The JAX-RS application, under {@code /api}. */
    @ApplicationScoped
    @ApplicationPath("api")
    public static class Api extends Application {
    }
}
