package dev.breaker.jaxrs;

import dev.breaker.cdi.internal.InboundBudget;
import dev.breaker.cdi.internal.RequestBreakers;
import dev.breaker.http.Budget;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import java.lang.reflect.Method;
import java.util.List;

/**
 * The inbound half of a budget that travels: a request that carries {@code Breaker-Budget: <ms>}
 * (see {@link Budget}) gets breakers that trip when the caller stops waiting. Every breaker the
 * request makes after this filter (an injected {@code @Inject Breaker}, any
 * {@code @BreakerConfig} one, {@code CurrentBreaker.get()}) trips at the earlier of its configured
 * limits and the budget less {@code breaker.budget.margin} (default 10 ms), with a
 * {@code BUDGET} reason; a budget can shorten a request, never lengthen it, and budgets above
 * {@code breaker.budget.max} count as that maximum. A request whose budget is spent on arrival is
 * answered {@code 504} with a {@code BRKR021} text, its handler never called. A header that is
 * not a valid budget is ignored (the request keeps its configured limits): never an exception,
 * never a 400.
 *
 * <p>Registered by discovery ({@code @Provider}, in a bean archive); runs early
 * ({@code AUTHENTICATION - 500}), before filters that could make a breaker. Ignored on resources
 * annotated {@link NoBudget}, and everywhere with {@code breaker.budget.enabled=false}.
 *
 * <p>Thread-safe and stateless: one instance serves every request.
 */
@Provider
@Priority(Priorities.AUTHENTICATION - 500)
public class BudgetFilter implements ContainerRequestFilter {
    @Context
    ResourceInfo resource;

    /** The filter, as the Jakarta REST runtime makes it on discovery. */
    public BudgetFilter() {
    }

    @Override
    public void filter(ContainerRequestContext request) {
        List<String> values = request.getHeaders().get(Budget.HEADER);
        if (values == null || values.isEmpty() || optedOut()) {
            return;
        }
        RequestBreakers breakers = RequestBreakers.current();
        if (breakers == null) {
            return; // no request context here (or the application is not started): nothing to bound
        }
        if (InboundBudget.get().apply(breakers, values) == InboundBudget.Outcome.EXPIRED) {
            request.abortWith(Response.status(Response.Status.GATEWAY_TIMEOUT)
                    .type(MediaType.TEXT_PLAIN_TYPE)
                    .entity(InboundBudget.expiredMessage(values) + "\n")
                    .build());
        }
    }

    private boolean optedOut() {
        ResourceInfo r = resource;
        if (r == null) {
            return false;
        }
        Method m = r.getResourceMethod();
        Class<?> c = r.getResourceClass();
        return (m != null && m.isAnnotationPresent(NoBudget.class)) || (c != null && c.isAnnotationPresent(NoBudget.class));
    }
}
