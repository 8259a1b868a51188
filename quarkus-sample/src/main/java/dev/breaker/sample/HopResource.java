package dev.breaker.sample;

import dev.breaker.Breaker;
import dev.breaker.BrokenException;
import dev.breaker.CurrentBreaker;
import dev.breaker.cdi.BreakerConfig;
import dev.breaker.http.Http;
import dev.breaker.jdbc.Jdbc;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /hop}: one service of a chain. With {@code sample.hop.next} set, it calls that URL
 * under its request breaker ({@code breaker.hop.timeout}), which carries the time left to the next
 * service in the {@code Breaker-Budget} header; without it, it works for {@code sample.hop.work}
 * (default 30 s) or until its breaker trips; with {@code sample.hop.query} set, the work is that
 * SQL query instead ({@code SELECT pg_sleep(30)} on PostgreSQL), run through {@code Jdbc.execute}
 * so that a trip cancels it on the database server. A caller's {@code Breaker-Budget} shortens the
 * breaker (the {@code breaker-jaxrs} filter), so a whole chain stops when its first caller stops
 * waiting. Each hop logs one {@code HOP} line: its time at the start, what ended it and why.
 */
@Path("/hop")
@Produces(MediaType.TEXT_PLAIN)
public class HopResource {
    private static final Logger LOG = Logger.getLogger(HopResource.class);
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @Inject
    @BreakerConfig("hop")
    Breaker breaker;

    @Inject
    ManagedExecutor executor;

    @ConfigProperty(name = "sample.hop.next")
    Optional<URI> next;

    @ConfigProperty(name = "sample.hop.work", defaultValue = "30s")
    Duration work;

    @ConfigProperty(name = "sample.hop.query")
    Optional<String> query;

    @Inject
    Store store;

    @GET
    public Response hop() throws InterruptedException {
        long start = System.nanoTime();
        String left = breaker.remaining().map(d -> d.toMillis() + " ms").orElse("no limit");
        if (next.isPresent()) {
            try {
                HttpResponse<String> r = Http.send(breaker, CLIENT, HttpRequest.newBuilder(next.get()).build(),
                        HttpResponse.BodyHandlers.ofString());
                LOG.infof("HOP call answered %d after %d ms (time at start: %s)", r.statusCode(), ms(start), left);
                return Response.status(r.statusCode()).entity(r.body()).build();
            } catch (BrokenException e) {
                LOG.infof("HOP call abandoned after %d ms (time at start: %s): %s", ms(start), left, e.reason());
                return Response.status(Response.Status.GATEWAY_TIMEOUT).entity("hop: " + e.reason() + "\n").build();
            } catch (IOException e) {
                return Response.status(Response.Status.BAD_GATEWAY).entity("hop: " + e + "\n").build();
            }
        }
        if (query.isPresent()) {
            try (Connection c = store.connection(); PreparedStatement ps = c.prepareStatement(query.get())) {
                Jdbc.execute(breaker, ps, PreparedStatement::execute);
                LOG.infof("HOP query done after %d ms (time at start: %s)", ms(start), left);
                return Response.ok("query done\n").build();
            } catch (BrokenException e) {
                LOG.infof("HOP query stopped after %d ms (time at start: %s): %s", ms(start), left, e.reason());
                return Response.status(Response.Status.GATEWAY_TIMEOUT).entity("query stopped: " + e.reason() + "\n").build();
            } catch (SQLException e) {
                return Response.serverError().entity("query failed: " + e + "\n").build();
            }
        }
        if (breaker.await(work)) {
            String reason = breaker.reason().map(Object::toString).orElse("?");
            LOG.infof("HOP work stopped after %d ms (time at start: %s): %s", ms(start), left, reason);
            return Response.status(Response.Status.GATEWAY_TIMEOUT).entity("work stopped: " + reason + "\n").build();
        }
        LOG.infof("HOP work done after %d ms (time at start: %s)", ms(start), left);
        return Response.ok("work done\n").build();
    }

    /** {@code GET /hop/left}: this request's time left, in ms ({@code none} without a limit), at once. */
    @GET
    @Path("/left")
    public String left() {
        return breaker.remaining().map(d -> Long.toString(d.toMillis())).orElse("none");
    }

    /** {@code GET /hop/unbudgeted}: as {@code /hop/left}, on an endpoint that ignores callers' budgets. */
    @GET
    @Path("/unbudgeted")
    @dev.breaker.jaxrs.NoBudget
    public String unbudgeted() {
        return left();
    }

    /**
     * {@code GET /hop/async}: what {@code CurrentBreaker.get()} finds on a {@code ManagedExecutor}
     * thread, which runs in this request (the request context travels with the task): this
     * request's own breaker, the one an unqualified {@code @Inject Breaker} gets.
     */
    @GET
    @Path("/async")
    public String async() throws Exception {
        Breaker mine = CurrentBreaker.get().orElseThrow();
        String there = executor.supplyAsync(() -> CurrentBreaker.get()
                .map(b -> b == mine ? "same breaker" : "another breaker").orElse("none")).get(10, TimeUnit.SECONDS);
        return there + "; its time left: " + mine.remaining().map(d -> d.toMillis() + " ms").orElse("none");
    }

    private static long ms(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
