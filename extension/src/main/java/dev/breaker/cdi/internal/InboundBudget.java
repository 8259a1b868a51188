package dev.breaker.cdi.internal;

import dev.breaker.http.Budget;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * Applies a caller's {@link Budget#HEADER} header to the current request, for the HTTP
 * integrations (the JAX-RS filter of {@code breaker-jaxrs}): the request's breakers then trip at
 * the earlier of their own limits and the budget less {@code breaker.budget.margin}, a budget
 * above {@code breaker.budget.max} counting as that maximum. With
 * {@code breaker.budget.enabled=false} the header is ignored.
 *
 * <p>Thread-safe: the settings are read once; the counter is a {@link LongAdder}.
 */
public final class InboundBudget {
    /** What {@link #apply} did. */
    public enum Outcome {
        /** No valid header, or budgets are disabled: the request keeps its configured limits. */
        NONE,
        /** The request's breakers are now bounded by the budget. */
        APPLIED,
        /** The budget was spent on arrival (no more than the margin left): do not run the handler. */
        EXPIRED
    }

    private final boolean enabled;
    private final Duration margin;
    private final Optional<Duration> max;
    private final LongAdder expired = new LongAdder();
    private final String from; // made once: the reason's detail is made only if someone reads it

    InboundBudget(Settings settings) {
        this.enabled = settings.budgetEnabled();
        this.margin = settings.budgetMargin();
        this.max = settings.budgetMax();
        this.from = "header " + Budget.HEADER + " less a margin of " + margin.toMillis() + " ms";
    }

    private static final java.util.concurrent.atomic.AtomicReference<InboundBudget> INSTALLED =
            new java.util.concurrent.atomic.AtomicReference<>();

    /**
     * The running application's settings, read at its start (validated at deployment); before a
     * start, or after the stop, the configuration read now.
     */
    public static InboundBudget get() {
        InboundBudget b = INSTALLED.get();
        return b != null ? b : new InboundBudget(new Settings(ConfigLookup.detect()));
    }

    /** Makes {@code budget} what {@link #get()} answers, until the returned runnable removes it. */
    static Runnable install(InboundBudget budget) {
        INSTALLED.set(budget); // the latest start: a restarted application (dev mode) reads its configuration anew
        return () -> INSTALLED.compareAndSet(budget, null);
    }

    /**
     * Reads the header's values and applies the budget they carry to {@code request}.
     *
     * @param request the current request's breakers
     * @param values  the header's values as received (null or empty: none)
     */
    public Outcome apply(RequestBreakers request, List<String> values) {
        if (!enabled) {
            return Outcome.NONE;
        }
        Optional<Duration> parsed = Budget.parse(values);
        if (parsed.isEmpty()) {
            return Outcome.NONE;
        }
        Duration budget = parsed.get();
        if (max.isPresent() && budget.compareTo(max.get()) > 0) {
            budget = max.get();
        }
        Duration left = budget.minus(margin);
        if (left.isNegative() || left.isZero()) {
            expired.increment();
            return Outcome.EXPIRED;
        }
        request.limit(left, from);
        return Outcome.APPLIED;
    }

    /** How many requests arrived with their budget already spent. */
    public long expiredCount() {
        return expired.sum();
    }

    /** The BRKR021 text of the 504 answer: the budget as read (never the raw header, which the caller chose). */
    public static String expiredMessage(List<String> values) {
        String budget = Budget.parse(values).map(d -> d.toMillis() + " ms").orElse("?");
        return "BRKR021: the caller's budget (" + budget + " in " + Budget.HEADER
                + ") was spent on arrival; the request was not handled";
    }
}
