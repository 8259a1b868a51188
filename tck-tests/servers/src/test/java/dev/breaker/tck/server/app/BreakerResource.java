package dev.breaker.tck.server.app;

import dev.breaker.Breaker;
import dev.breaker.cdi.BreakerConfig;
import dev.breaker.cdi.BreakerFactory;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Duration;

/** Waits for a {@code breaker.request.timeout=1s} breaker, injected or from the factory. */
@Path("breaker")
@RequestScoped
@Produces(MediaType.TEXT_PLAIN)
public class BreakerResource {
    @Inject
    @BreakerConfig("request")
    Breaker injected;

    @Inject
    BreakerFactory breakers;

    @GET
    @Path("injected")
    public String injected() throws InterruptedException {
        return waitFor(injected);
    }

    @GET
    @Path("factory")
    public String factory() throws InterruptedException {
        try (Breaker breaker = breakers.named("request")) {
            return waitFor(breaker);
        }
    }

    /** {@code <tripped> <elapsed ms> <reason>}. */
    private static String waitFor(Breaker breaker) throws InterruptedException {
        long t0 = System.nanoTime();
        boolean tripped = breaker.await(Duration.ofSeconds(20));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        return tripped + " " + ms + " " + breaker.reason().map(Object::toString).orElse("-");
    }
}
