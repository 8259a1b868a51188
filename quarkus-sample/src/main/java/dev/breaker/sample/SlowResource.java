package dev.breaker.sample;

import dev.breaker.Breaker;
import dev.breaker.cdi.BreakerConfig;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /slow?ms=N}: N milliseconds of work done in 10 ms steps under a per-request breaker
 * ({@code breaker.request.timeout}, which also trips when the application begins to shut down).
 * 200 with the whole result if the work finished, 206 with the part done if the breaker tripped
 * first (the Go handler of the seed, in Java).
 */
@Path("/slow")
@Produces(MediaType.APPLICATION_JSON)
public class SlowResource {
    static final int STEP_MS = 10;
    static final int MAX_MS = 600_000;

    /**
     * One field in a singleton resource (Quarkus makes a resource without a scope annotation a
     * singleton), yet each request gets its own breaker: made at its first use in the request,
     * closed when the request ends.
     */
    @Inject
    @BreakerConfig("request")
    Breaker breaker;

    @GET
    public Response slow(@QueryParam("ms") String ms) throws InterruptedException {
        int requested;
        try {
            requested = Integer.parseInt(ms == null ? "" : ms.strip());
        } catch (NumberFormatException e) {
            return EventsResource.error(Response.Status.BAD_REQUEST,
                    "query parameter ms must be a whole number of milliseconds, such as /slow?ms=500").build();
        }
        if (requested < 0 || requested > MAX_MS) {
            return EventsResource.error(Response.Status.BAD_REQUEST,
                    "ms must be between 0 and " + MAX_MS).build();
        }

        // the first use of the breaker in this request starts its clock
        StringBuilder result = new StringBuilder();
        int done = 0;
        while (done < requested && !breaker.isBroken()) {
            int step = Math.min(STEP_MS, requested - done);
            Thread.sleep(step); // simulated work
            result.append((char) ('a' + (done / STEP_MS) % 26));
            done += step;
        }
        boolean complete = done >= requested;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("requestedMs", requested);
        body.put("doneMs", done);
        body.put("complete", complete);
        body.put("result", result.toString());
        if (complete) {
            return Response.ok(body).build();
        }
        String reason = breaker.reason().map(Object::toString).orElse("tripped");
        body.put("reason", reason);
        return Response.status(Response.Status.PARTIAL_CONTENT)
                .header("X-Breaker-Reason", reason)
                .entity(body)
                .build(); // the request's end closes this request's breaker (its timer entry is freed)
    }
}
