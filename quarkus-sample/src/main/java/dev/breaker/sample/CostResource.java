package dev.breaker.sample;

import dev.breaker.Breaker;
import dev.breaker.cdi.BreakerConfig;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Endpoints that differ only by what they use, for {@code bench/breaker-cost.sh}: what a request
 * pays for {@code @Inject @BreakerConfig("request") Breaker} in a singleton resource (a breaker
 * made at its first use in the request, closed at the request's end), and, to tell where that
 * goes, what it pays for the smallest {@code @RequestScoped} bean and for a timeout breaker made
 * and closed by hand.
 */
@Path("/cost")
@Produces(MediaType.TEXT_PLAIN)
public class CostResource {
    @Inject
    @BreakerConfig("request")
    Breaker breaker;

    /** The smallest request scoped bean: made at its first use in a request, destroyed at its end. */
    @jakarta.enterprise.context.RequestScoped
    public static class Scoped {
        int n;

        public int inc() {
            return ++n;
        }
    }

    @Inject
    Scoped scoped;

    /** One use of a request scoped bean. */
    @GET
    @Path("scoped")
    public String scoped() {
        return scoped.inc() > 0 ? "ok" : "no";
    }

    /** A 2 s timeout breaker made and closed by hand. */
    @GET
    @Path("timer")
    public String timer() {
        try (Breaker b = Breaker.byTimeout(java.time.Duration.ofSeconds(2))) {
            return b.isBroken() ? "broken" : "ok";
        }
    }

    /** No breaker. */
    @GET
    @Path("plain")
    public String plain() {
        return "ok";
    }

    /** The same, with one use of the request's breaker. */
    @GET
    @Path("breaker")
    public String withBreaker() {
        return breaker.isBroken() ? "broken" : "ok";
    }

    /**
     * The same as {@code breaker}, on an endpoint where the {@code breaker-jaxrs} filter ignores a
     * caller's {@code Breaker-Budget}: sent the same header, the difference to {@code breaker} is
     * what applying the budget costs, the header's bytes being the same.
     */
    @GET
    @Path("unbudgeted")
    @dev.breaker.jaxrs.NoBudget
    public String unbudgeted() {
        return breaker.isBroken() ? "broken" : "ok";
    }
}
