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

/**
 * Waits for a {@code breaker.request.timeout=1s} breaker, injected or from the factory, and
 * answers how long it took, counted from a moment before the breaker was made (its clock starts
 * when it is made: at injection for the injected one), so the answer is never less than the
 * breaker's own age however long the server takes between injecting and calling.
 */
@Path("breaker")
@RequestScoped
@Produces(MediaType.TEXT_PLAIN)
public class BreakerResource {
    @Inject
    @BreakerConfig("request")
    Breaker injected;

    @Inject
    BreakerFactory breakers;

    /** Set when this instance is constructed, before its fields are injected. */
    private final long constructed = System.nanoTime();

    @GET
    @Path("injected")
    public String injected() throws InterruptedException {
        return waitFor(injected, constructed);
    }

    @GET
    @Path("factory")
    public String factory() throws InterruptedException {
        long t0 = System.nanoTime();
        try (Breaker breaker = breakers.named("request")) {
            return waitFor(breaker, t0);
        }
    }

    /** {@code <tripped> <ms since t0> <reason>}. */
    private static String waitFor(Breaker breaker, long t0) throws InterruptedException {
        boolean tripped = breaker.await(Duration.ofSeconds(20));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        return tripped + " " + ms + " " + breaker.reason().map(Object::toString).orElse("-");
    }
}
