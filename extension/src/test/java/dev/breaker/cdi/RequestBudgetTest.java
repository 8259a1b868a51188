package dev.breaker.cdi;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;
import dev.breaker.CurrentBreaker;
import dev.breaker.cdi.internal.RequestBreakers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.inject.Inject;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A caller's budget given to the request ({@link RequestBreakers#limit}, what the inbound
 * {@code Breaker-Budget} filter does) shortens every breaker made in the request after it, never
 * lengthens one, and trips with a {@code BUDGET} reason naming where it came from.
 */
class RequestBudgetTest {

    @ApplicationScoped
    static class Handler {
        @Inject
        @BreakerConfig("request")
        Breaker breaker;

        @Inject
        RequestBreakers requests;

        /** A request whose caller gave it {@code budget}: waits for its breaker, up to 10 s. */
        @ActivateRequestContext
        BreakReason withBudget(Duration budget) throws InterruptedException {
            requests.limit(budget, "header Breaker-Budget");
            requests.limit(Duration.ofHours(1), "a later, longer budget"); // never lengthens
            long start = System.nanoTime();
            assertTrue(breaker.await(Duration.ofSeconds(10)), "the breaker never tripped");
            Breaker current = CurrentBreaker.get().orElseThrow();
            assertTrue(current.isBroken(), "the request's own breaker is under the same budget");
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms < 5_000, "tripped by the budget, long before the configured hour: " + ms + " ms");
            return breaker.reason().orElseThrow().root();
        }

        @ActivateRequestContext
        boolean withoutBudget() {
            return breaker.isBroken();
        }

        @ActivateRequestContext
        BreakReason shortConfiguredLongBudget() throws InterruptedException {
            requests.limit(Duration.ofHours(2), "header Breaker-Budget");
            assertTrue(breaker.await(Duration.ofSeconds(10)), "the configured timeout still applies");
            return breaker.reason().orElseThrow().root();
        }
    }

    @Test
    void aBudgetShorterThanTheConfiguredTimeoutTripsWithItsReason() throws Exception {
        try (TestConfig config = TestConfig.of("breaker.request.timeout", "1h");
             WeldContainer container = Containers.weld(Handler.class).initialize()) {
            Handler handler = container.select(Handler.class).get();
            BreakReason reason = handler.withBudget(Duration.ofMillis(200));
            assertEquals(BreakReason.Kind.BUDGET, reason.kind());
            assertEquals("budget 200 ms from header Breaker-Budget", reason.detail());
            assertFalse(handler.withoutBudget(), "the next request has no budget");
        }
    }

    @Test
    void aBudgetLongerThanTheConfiguredTimeoutChangesNothing() throws Exception {
        try (TestConfig config = TestConfig.of("breaker.request.timeout", "200ms");
             WeldContainer container = Containers.weld(Handler.class).initialize()) {
            Handler handler = container.select(Handler.class).get();
            assertEquals(BreakReason.Kind.TIMEOUT, handler.shortConfiguredLongBudget().kind());
        }
    }
}
