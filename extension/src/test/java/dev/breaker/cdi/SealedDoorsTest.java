package dev.breaker.cdi;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;
import dev.breaker.cdi.internal.BreakerSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.inject.Inject;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nobody can trip or close what they did not create: a bean that injects the library's internal
 * {@link BreakerSource} can only make new breakers of its own and ask whether shutdown began, not trip
 * the application's (which
 * would turn readiness DOWN and trip every request's breaker); closing an injected breaker in a
 * request closes that request's only; the public API takes no internal type.
 */
class SealedDoorsTest {

    @ApplicationScoped
    static class Intruder {
        @Inject
        BreakerSource source;

        @Inject
        Breaker plain;

        Breaker own() {
            return source.named("own");
        }

        @ActivateRequestContext
        void closeMine() {
            plain.close();
        }

        boolean plainBroken() {
            return plain.isBroken();
        }
    }

    @Test
    void theInternalSourceOffersOnlyNewBreakers() {
        Set<String> publicMethods = new TreeSet<>();
        for (Method m : BreakerSource.class.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers())) {
                publicMethods.add(m.getName());
            }
        }
        assertEquals(Set.of("application", "named", "shutdownBegun"), publicMethods,
                "BreakerSource must not let a bean trip the application's breakers or reach the shutdown breaker");
    }

    @Test
    void closingWhatABeanMadeOrWasGivenLeavesTheApplicationRunning() throws Exception {
        try (WeldContainer container = Containers.weld(Intruder.class).initialize()) {
            Intruder intruder = container.select(Intruder.class).get();
            Breaker own = intruder.own();
            own.close();
            assertEquals(BreakReason.Kind.CLOSED, own.reason().orElseThrow().kind());
            intruder.closeMine(); // closes that request's breaker only
            assertFalse(intruder.plainBroken(), "the application's breakers are untouched");
            try (Breaker fresh = container.select(BreakerFactory.class).get().application()) {
                assertFalse(fresh.isBroken(), "new breakers are still live: the shutdown breaker was not tripped");
            }
        }
    }

    @Test
    void noPublicConstructorOfTheApiTakesAnInternalType() {
        for (Class<?> api : List.of(BreakerFactory.class, ShutdownSequence.class, BreakerConfig.class,
                BreakerExtension.class)) {
            for (Constructor<?> c : api.getDeclaredConstructors()) {
                if (Modifier.isPublic(c.getModifiers())) {
                    assertTrue(Arrays.stream(c.getParameterTypes()).noneMatch(t -> t.getName().contains(".internal.")),
                            c + " takes an internal type");
                }
            }
        }
    }
}
