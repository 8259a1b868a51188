package dev.breaker.sample;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/**
 * {@code POST /events} queues an event through {@link Intake}; {@code GET /events/{id}} and
 * {@code GET /events/count} read what {@link Store} has persisted.
 */
@Path("/events")
@Produces(MediaType.APPLICATION_JSON)
public class EventsResource {
    static final int MAX_PAYLOAD = 4000;

    @Inject
    Intake intake;

    @Inject
    Store store;

    @Inject
    ObjectMapper mapper;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response submit(String body) throws InterruptedException {
        String payload;
        try {
            payload = payloadOf(body);
        } catch (IllegalArgumentException e) {
            return error(Response.Status.BAD_REQUEST, e.getMessage()).build();
        }
        try {
            Event event = intake.submit(payload);
            return Response.accepted(Map.of("id", event.id())).build();
        } catch (Intake.Rejected e) {
            return error(Response.Status.SERVICE_UNAVAILABLE, e.getMessage())
                    .header("Retry-After", e.retryAfterSeconds())
                    .build();
        }
    }

    @GET
    @Path("/count")
    public Map<String, Long> count() {
        return Map.of("count", store.count());
    }

    @GET
    @Path("/{id}")
    public Response get(@PathParam("id") String id) {
        return store.find(id)
                .map(e -> Response.ok(e))
                .orElseGet(() -> error(Response.Status.NOT_FOUND, "no persisted event with id " + id))
                .build();
    }

    /** The payload of a body {@code {"payload": "<text>"}}, or a message saying what is wrong. */
    private String payloadOf(String body) {
        if (body == null || body.isBlank()) {
            throw new IllegalArgumentException("the body is empty; send {\"payload\": \"<text>\"}");
        }
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not valid JSON (" + e.getOriginalMessage()
                    + "); send {\"payload\": \"<text>\"}");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object like {\"payload\": \"<text>\"}");
        }
        JsonNode payload = root.get("payload");
        if (payload == null || payload.isNull()) {
            throw new IllegalArgumentException("\"payload\" is missing; send {\"payload\": \"<text>\"}");
        }
        if (!payload.isTextual()) {
            throw new IllegalArgumentException("\"payload\" must be a string, not " + payload.getNodeType().name().toLowerCase());
        }
        String text = payload.textValue();
        if (text.isBlank()) {
            throw new IllegalArgumentException("\"payload\" must not be blank");
        }
        if (text.length() > MAX_PAYLOAD) {
            throw new IllegalArgumentException("\"payload\" is " + text.length() + " characters long; the limit is " + MAX_PAYLOAD);
        }
        return text;
    }

    static Response.ResponseBuilder error(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", message));
    }
}
