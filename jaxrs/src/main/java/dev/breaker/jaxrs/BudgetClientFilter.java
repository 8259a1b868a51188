package dev.breaker.jaxrs;

import dev.breaker.Breaker;
import dev.breaker.BrokenException;
import dev.breaker.CurrentBreaker;
import dev.breaker.http.Budget;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The outbound half of a budget that travels: a call made with a Jakarta REST client (or a
 * MicroProfile REST Client) under a {@linkplain CurrentBreaker current breaker} that has a time
 * carries that time left in the {@code Breaker-Budget} header (whole milliseconds; where the
 * request already has one, the smaller), so that the service called stops when this one does. A
 * call whose current breaker has tripped is not sent: the filter throws the
 * {@link BrokenException} (the client wraps it in a {@code ProcessingException}).
 *
 * <p>Opt-in per client, so opt-out is not registering it:
 * {@code ClientBuilder.newClient().register(BudgetClientFilter.class)}, or
 * {@code @RegisterProvider(BudgetClientFilter.class)} on a REST Client interface. Not a
 * {@code @Provider}: servers do not pick it up by scanning.
 *
 * <p>This filter carries the budget; it does not abort a call that is already running when the
 * breaker trips (the clients' own timeouts, or {@code dev.breaker.http.Http} for the JDK's
 * client, do that).
 *
 * <p>Thread-safe and stateless.
 */
public class BudgetClientFilter implements ClientRequestFilter {
    @Override
    public void filter(ClientRequestContext request) {
        Optional<Breaker> current = CurrentBreaker.get();
        if (current.isEmpty()) {
            return;
        }
        Breaker breaker = current.get();
        breaker.throwIfBroken();
        Optional<Duration> left = breaker.remaining();
        if (left.isEmpty()) {
            return;
        }
        Duration sent = left.get();
        List<Object> existing = request.getHeaders().get(Budget.HEADER);
        if (existing != null) {
            Optional<Duration> theirs = Budget.parse(existing.stream().map(String::valueOf).toList());
            if (theirs.isPresent() && theirs.get().compareTo(sent) < 0) {
                sent = theirs.get();
            }
        }
        request.getHeaders().putSingle(Budget.HEADER, Budget.format(sent));
    }
}
