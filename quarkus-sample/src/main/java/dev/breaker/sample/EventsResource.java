package dev.breaker.sample;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * {@code POST /events} validates an event and answers 202 once {@link Intake} has committed it to
 * the inbox; {@code GET /events/{id}} shows an event in whatever state it is;
 * {@code GET /events/count} counts them.
 *
 * <p>Retries without duplicates: a {@code POST} may carry an {@code Idempotency-Key} header (1 to
 * 200 printable ASCII characters, U+0020 to U+007E; anything else, or two such headers, is 400).
 * The key is stored with the event, in the same transaction, as durable as the event. A repeat
 * with the same key and the same payload stores nothing and answers 202 with the first request's
 * id, its current state and {@code Idempotent-Replayed: true}, whichever instance on the same
 * database it reaches and however long after (keys are kept); requests with one key that arrive
 * at the same time get one event and one id. The same key with a different payload is 422
 * (Unprocessable Content), as the IETF draft on the header recommends: the key belongs to another
 * request, and nothing is stored. Payloads are compared as parsed, so the JSON around them may
 * differ. Without the header every {@code POST} is a new event.
 */
@Path("/events")
@Produces(MediaType.APPLICATION_JSON)
public class EventsResource {
    private static final Logger LOG = Logger.getLogger(EventsResource.class);
    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    @Inject
    Intake intake;

    @Inject
    Store store;

    @Inject
    ObjectMapper mapper;

    /** How long a request waits for its commit before it is answered 503 (not acknowledged). */
    @ConfigProperty(name = "sample.intake.commit-timeout", defaultValue = "5s")
    Duration commitTimeout;

    /**
     * Non-blocking: the body is read by the event loop (a slow client holds no worker thread) and
     * the answer is sent when the commit completes.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public CompletionStage<Response> submit(byte[] body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                                            @Context HttpHeaders headers) {
        String payload;
        String key;
        try {
            key = IdempotencyKey.parse(headers.getRequestHeader(IdempotencyKey.HEADER));
            payload = Payloads.parse(body, contentType, mapper);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(error(Response.Status.BAD_REQUEST, e.getMessage()).build());
        }
        CompletableFuture<Intake.Receipt> committed;
        try {
            committed = intake.submit(payload, key);
        } catch (IllegalStateException stopped) {
            // BRKR013: the intake was stopped at shutdown (a request that outlived the shutdown
            // gate's wait for in-flight requests); nothing was queued, nothing is promised
            committed = CompletableFuture.failedFuture(Intake.shuttingDown());
        }
        return committed
                .orTimeout(commitTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((receipt, failure) -> {
                    if (failure == null) {
                        Response.ResponseBuilder b = Response.accepted(Map.of("id", receipt.id(), "state", receipt.state()));
                        if (receipt.replayed()) {
                            b.header(IdempotencyKey.REPLAYED_HEADER, "true");
                        }
                        return b.build();
                    }
                    Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    if (cause instanceof Intake.Rejected r) {
                        Response.ResponseBuilder b = error(r.status(), r.getMessage());
                        if (r.retryAfterSeconds() > 0) {
                            b.header("Retry-After", r.retryAfterSeconds());
                        }
                        return b.build();
                    }
                    if (cause instanceof TimeoutException) {
                        // it may still be committed; it is not acknowledged, so nothing is promised
                        return error(Response.Status.SERVICE_UNAVAILABLE,
                                "the event was not confirmed within " + commitTimeout + "; retry later")
                                .header("Retry-After", 2).build();
                    }
                    LOG.errorf(cause, "POST /events failed");
                    return error(Response.Status.INTERNAL_SERVER_ERROR, "internal error; the event was not stored").build();
                });
    }

    @GET
    @Path("/count")
    @Blocking
    public Response count() {
        try {
            return Response.ok(store.counts()).build();
        } catch (SQLException e) {
            return unavailable(e);
        }
    }

    @GET
    @Path("/{id}")
    @Blocking
    public Response get(@PathParam("id") String id) {
        if (!ID.matcher(id).matches()) { // never sent to the database: "%00" is no id, only trouble
            return error(Response.Status.NOT_FOUND, "no event with id " + Payloads.printable(id)).build();
        }
        try {
            return store.find(id)
                    .map(e -> Response.ok(e))
                    .orElseGet(() -> error(Response.Status.NOT_FOUND, "no event with id " + id))
                    .build();
        } catch (SQLException e) {
            return unavailable(e);
        }
    }

    private static Response unavailable(SQLException e) {
        LOG.warnf("the database is unavailable: %s", e.getMessage());
        return error(Response.Status.SERVICE_UNAVAILABLE, "the database is unavailable; retry later")
                .header("Retry-After", 2).build();
    }

    static Response.ResponseBuilder error(Response.Status status, String message) {
        return error(status.getStatusCode(), message);
    }

    /** Any status, 422 among them (Jakarta REST 3.1 has no constant for it). */
    static Response.ResponseBuilder error(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", message));
    }
}
