package dev.breaker.cdi.internal;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The inbound budget's settings: margin, maximum, spent on arrival, disabled. */
class InboundBudgetTest {
    private final BreakerSource source = new BreakerSource(ConfigLookup.NONE, java.util.Set.of());

    private static InboundBudget budget(String... keysAndValues) {
        java.util.Map<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return new InboundBudget(new Settings(SettingsTest.lookup(m)));
    }

    /** The request's own breaker after applying {@code values}: its time left, or empty. */
    private java.util.Optional<Duration> leftAfter(InboundBudget b, String... values) {
        RequestBreakers request = new RequestBreakers();
        try {
            assertEquals(InboundBudget.Outcome.APPLIED, b.apply(request, List.of(values)));
            return request.breaker(RequestBreakers.DEFAULT, source.maker("default")).remaining();
        } finally {
            request.end();
        }
    }

    @Test
    void theMarginIsTakenOffAndTheMaximumCaps() {
        Duration left = leftAfter(budget(), "1000").orElseThrow(); // default margin 10 ms
        assertTrue(left.toMillis() <= 990 && left.toMillis() > 900, "1000 - 10 ms: " + left);
        left = leftAfter(budget("breaker.budget.margin", "200ms"), "1000").orElseThrow();
        assertTrue(left.toMillis() <= 800 && left.toMillis() > 700, "1000 - 200 ms: " + left);
        left = leftAfter(budget("breaker.budget.max", "2s", "breaker.budget.margin", "0"), "99999999").orElseThrow();
        assertTrue(left.toMillis() <= 2_000 && left.toMillis() > 1_900, "capped at 2 s: " + left);
    }

    @Test
    void aBudgetNoLargerThanTheMarginIsSpentOnArrival() {
        InboundBudget b = budget("breaker.budget.margin", "50ms");
        RequestBreakers request = new RequestBreakers();
        long before = b.expiredCount();
        assertEquals(InboundBudget.Outcome.EXPIRED, b.apply(request, List.of("50")));
        assertEquals(InboundBudget.Outcome.EXPIRED, b.apply(request, List.of("0")));
        assertEquals(before + 2, b.expiredCount());
        Breaker own = request.breaker(RequestBreakers.DEFAULT, source.maker("default"));
        assertFalse(own.isBroken(), "an expired budget is answered 504 by the filter; it is not applied");
        request.end();
    }

    @Test
    void disabledOrInvalidHeadersChangeNothing() {
        RequestBreakers request = new RequestBreakers();
        assertEquals(InboundBudget.Outcome.NONE, budget("breaker.budget.enabled", "false").apply(request, List.of("100")));
        assertEquals(InboundBudget.Outcome.NONE, budget().apply(request, List.of("-1", "abc")));
        assertEquals(InboundBudget.Outcome.NONE, budget().apply(request, null));
        assertTrue(request.breaker(RequestBreakers.DEFAULT, source.maker("default")).remaining().isEmpty(),
                "no budget, no breaker.default.timeout: no time");
        request.end();
    }

    @Test
    void theTripReasonNamesTheBudget() throws Exception {
        RequestBreakers request = new RequestBreakers();
        assertEquals(InboundBudget.Outcome.APPLIED, budget().apply(request, List.of("60")));
        Breaker own = request.breaker(RequestBreakers.DEFAULT, source.maker("default"));
        assertTrue(own.await(Duration.ofSeconds(10)));
        BreakReason r = own.reason().orElseThrow();
        assertEquals(BreakReason.Kind.BUDGET, r.kind());
        assertEquals("budget 50 ms from header Breaker-Budget less a margin of 10 ms", r.detail());
        assertEquals("BRKR021: the caller's budget (5 ms in Breaker-Budget) was spent on arrival; the request was not handled",
                InboundBudget.expiredMessage(List.of(" 5", "x")));
        request.end();
    }
}
