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
 * <p>The call is also bounded by the time left where the client takes per-request timeouts from
 * request properties: on Jersey ({@code jersey.config.client.readTimeout} and
 * {@code connectTimeout}), a call still waiting when the breaker's time is up fails with the
 * client's own {@code ProcessingException} (a socket timeout). Other clients (RESTEasy, the
 * Quarkus REST Client) keep their configured timeouts; a call already running is not aborted by a
 * trip that comes before its time is up (a manual close, a shutdown): for that, use
 * {@code dev.breaker.http.Http} with the JDK's client.
 *
 * <p>Thread-safe and stateless.
 */
public class BudgetClientFilter implements ClientRequestFilter {
    static final String JERSEY_READ_TIMEOUT = "jersey.config.client.readTimeout";
    static final String JERSEY_CONNECT_TIMEOUT = "jersey.config.client.connectTimeout";

    /** The filter; the client usually makes it from the class given to {@code register}. */
    public BudgetClientFilter() {
    }

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
        // Jersey reads these per request, before the client's own: never longer than what the
        // request or the client already has (0 or absent: no timeout); at least 1 ms
        int ms = (int) Math.max(1, Math.min(Integer.MAX_VALUE, left.get().toMillis()));
        request.setProperty(JERSEY_READ_TIMEOUT, shorter(request, JERSEY_READ_TIMEOUT, ms));
        request.setProperty(JERSEY_CONNECT_TIMEOUT, shorter(request, JERSEY_CONNECT_TIMEOUT, ms));
    }

    /** The smaller of {@code ms} and the timeout the request (else its client) already has; 0 or absent is none. */
    private static int shorter(ClientRequestContext request, String key, int ms) {
        Object own = request.getProperty(key);
        if (own == null) {
            own = request.getConfiguration().getProperty(key);
        }
        if (own instanceof Number n && n.longValue() > 0 && n.longValue() < ms) {
            return n.intValue();
        }
        if (own instanceof String text) {
            try {
                long v = Long.parseLong(text.trim());
                if (v > 0 && v < ms) {
                    return (int) v;
                }
            } catch (NumberFormatException notANumber) {
                // the client's own problem: ours stands
            }
        }
        return ms;
    }
}
