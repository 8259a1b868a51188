package dev.breaker.sample;

import java.time.Instant;

/**
 * One event as it travels: {@code transformed} and {@code persistedAt} are null until the
 * {@link Pipeline} has transformed it and the {@link Store} has written it.
 */
public record Event(String id, String payload, String transformed, Instant receivedAt, Instant persistedAt) {

    static Event received(String id, String payload, Instant at) {
        return new Event(id, payload, null, at, null);
    }

    Event withTransformed(String value) {
        return new Event(id, payload, value, receivedAt, persistedAt);
    }
}
