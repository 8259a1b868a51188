package dev.breaker.cdi;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code @Inject Breaker}, {@code @BreakerConfig}, per-call breakers, and their life cycles. */
class BreakerInjectionTest {
    private static final Duration GENEROUS = Duration.ofSeconds(10);

    @Dependent
    static class Holder {
        @Inject
        Breaker application;

        @Inject
        @BreakerConfig("fast")
        Breaker fast;

        @Inject
        @BreakerConfig("unconfigured")
        Breaker unconfigured;
    }

    /** A singleton resource making one breaker per call, both ways. */
    @ApplicationScoped
    static class Resource {
        @Inject
        BreakerFactory breakers;

        @Inject
        @BreakerConfig("fast")
        Instance<Breaker> fastBreakers;

        BreakerFactory breakers() {
            return breakers;
        }

        Instance<Breaker> fastBreakers() {
            return fastBreakers;
        }
    }

    @Test
    void configuredBreakerTripsAtItsTimeoutAndTheDefaultOneAtShutdown() throws Exception {
        Holder holder;
        try (TestConfig config = TestConfig.of("breaker.fast.timeout", "150ms");
             WeldContainer container = Containers.weld(Holder.class).initialize()) {
            long t0 = System.nanoTime();
            holder = container.select(Holder.class).get();
            assertTrue(holder.fast.await(GENEROUS), "fast trips at its timeout");
            long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(elapsedMs >= 140, () -> "tripped too early: " + elapsedMs + " ms");
            assertEquals(BreakReason.Kind.TIMEOUT, holder.fast.reason().orElseThrow().root().kind());
            assertFalse(holder.application.isBroken(), "the application breaker waits for shutdown");
            assertFalse(holder.unconfigured.isBroken());
        }
        assertTrue(holder.application.isBroken(), "tripped at shutdown");
        assertEquals(BreakReason.Kind.SHUTDOWN, holder.application.reason().orElseThrow().root().kind());
    }

    @Test
    void dependentBreakerIsClosedWhenItsHolderIsDestroyed() {
        try (TestConfig config = TestConfig.of("breaker.fast.timeout", "1h");
             WeldContainer container = Containers.weld(Holder.class).initialize()) {
            Instance<Holder> holders = container.select(Holder.class);
            Holder holder = holders.get();
            assertFalse(holder.fast.isBroken());
            holders.destroy(holder);
            assertEquals(BreakReason.Kind.CLOSED, holder.fast.reason().orElseThrow().kind());
            assertEquals(BreakReason.Kind.CLOSED, holder.application.reason().orElseThrow().kind());
            assertEquals(BreakReason.Kind.CLOSED, holder.unconfigured.reason().orElseThrow().kind());
        }
    }

    @Test
    void defaultTimeoutAppliesToTheUnqualifiedBreaker() throws Exception {
        try (TestConfig config = TestConfig.of("breaker.default.timeout", "100ms");
             WeldContainer container = Containers.weld(Holder.class).initialize()) {
            Holder holder = container.select(Holder.class).get();
            assertTrue(holder.application.await(GENEROUS));
            assertEquals(BreakReason.Kind.TIMEOUT, holder.application.reason().orElseThrow().root().kind());
        }
    }

    @Test
    void deadlineTrips() throws Exception {
        String deadline = Instant.now().plusMillis(200).toString();
        try (TestConfig config = TestConfig.of("breaker.fast.deadline", deadline);
             WeldContainer container = Containers.weld(Holder.class).initialize()) {
            Holder holder = container.select(Holder.class).get();
            assertTrue(holder.fast.await(GENEROUS));
            assertTrue(Instant.now().isAfter(Instant.parse(deadline).minusMillis(20)));
        }
    }

    @Test
    void perCallBreakersFromTheFactoryAndFromInstance() throws Exception {
        Breaker live;
        try (TestConfig config = TestConfig.of("breaker.fast.timeout", "100ms");
             WeldContainer container = Containers.weld(Resource.class).initialize()) {
            Resource resource = container.select(Resource.class).get();
            Breaker kept;
            try (Breaker breaker = resource.breakers().named("fast")) {
                assertTrue(breaker.await(GENEROUS));
                assertEquals(BreakReason.Kind.TIMEOUT, breaker.reason().orElseThrow().root().kind());
            }
            try (Breaker breaker = resource.breakers().named("fast")) {
                kept = breaker;
            }
            assertEquals(BreakReason.Kind.CLOSED, kept.reason().orElseThrow().kind(), "closed by try");

            Breaker fromInstance = resource.fastBreakers().get();
            try {
                assertTrue(fromInstance.await(GENEROUS));
            } finally {
                resource.fastBreakers().destroy(fromInstance);
            }
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                    () -> resource.breakers().named("worker"));
            assertTrue(bad.getMessage().startsWith("BRKR011: invalid breaker name 'worker'"), bad::getMessage);

            live = resource.breakers().application();
        }
        assertEquals(BreakReason.Kind.SHUTDOWN, live.reason().orElseThrow().root().kind());
    }
}
