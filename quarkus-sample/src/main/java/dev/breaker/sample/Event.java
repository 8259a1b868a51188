package dev.breaker.sample;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/**
 * An event as {@code GET /events/{id}} shows it. {@code state} is {@code pending} (acknowledged,
 * durable in the inbox, not yet transformed), {@code persisted} (in its final form:
 * {@code transformed} and {@code persistedAt} are set) or {@code failed} (dead-lettered:
 * {@code reason} says why; the payload is kept).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Event(String id, String state, String payload, String transformed, Instant receivedAt,
                    Instant persistedAt, String reason) {
    static final String PENDING = "pending";
    static final String PERSISTED = "persisted";
    static final String FAILED = "failed";

    static Event pending(String id, String payload, Instant receivedAt) {
        return new Event(id, PENDING, payload, null, receivedAt, null, null);
    }
}
