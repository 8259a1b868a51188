package dev.breaker.internal;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Having a {@code Breaker} is not enough to trip it with another reason: every breaker is an
 * {@link AbstractBreaker}, and its {@code trip(BreakReason)} is not public, so a cast opens
 * nothing. Only a {@link ManualBreaker}'s owner trips it with a reason ({@code tripAs}).
 */
class TripDoorTest {

    @Test
    void tripIsNotPublicOnAnyBreaker() throws Exception {
        assertThrows(NoSuchMethodException.class, () -> AbstractBreaker.class.getMethod("trip", BreakReason.class));
        Method trip = AbstractBreaker.class.getDeclaredMethod("trip", BreakReason.class);
        assertTrue(Modifier.isProtected(trip.getModifiers()) && Modifier.isFinal(trip.getModifiers()));
        try (Breaker timed = Breaker.byTimeout(Duration.ofHours(1))) {
            for (Method m : timed.getClass().getMethods()) {
                assertFalse(m.getName().startsWith("trip"), "a public trip method on " + timed.getClass() + ": " + m);
            }
        }
    }

    @Test
    void aManualBreakersOwnerTripsItWithItsReason() {
        ManualBreaker b = Breakers.manual();
        assertTrue(b.tripAs(BreakReason.shutdown("test")));
        assertFalse(b.tripAs(BreakReason.CLOSED), "once");
        assertTrue(b.reason().orElseThrow().kind() == BreakReason.Kind.SHUTDOWN);
    }
}
