package dev.breaker.jcstress;

import dev.breaker.Breaker;
import dev.breaker.BrokenException;
import dev.breaker.Permits;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Permits, with two actors: a waiter for the last permit races a thread that grants it (closes
 * the permit that holds it) and then trips the waiter's breaker. The waiter may find the permit
 * free, queue and be granted it, or find the breaker tripped; the trip's action may run while
 * the granted waiter unregisters it, or at once on the waiter's thread if it registers late.
 * Whatever the order, it gets the permit (and releases it) or a BrokenException with the permit
 * still free: never lost, never granted twice. See {@link PermitGrantVersusTrip} for three.
 */
@JCStressTest
@Outcome(id = "1, 1", expect = Expect.ACCEPTABLE, desc = "the caller got the permit and released it")
@Outcome(id = "2, 1", expect = Expect.ACCEPTABLE, desc = "BrokenException; the permit is still free")
@Outcome(expect = Expect.FORBIDDEN, desc = "permit lost, granted twice, or the waiter failed otherwise")
@State
public class PermitWaiterVersusGrantThenTrip {
    private final Permits permits = new Permits(1);
    private final Permits.Permit last = permits.tryAcquire(1).orElseThrow();
    private final Breaker breaker = Breaker.manual();

    @Actor
    public void waiter(II_Result r) {
        try {
            Permits.Permit p = permits.acquire(breaker, 1); // waits until the grant or the trip
            r.r1 = 1;
            p.close();
        } catch (BrokenException e) {
            r.r1 = 2;
        } catch (InterruptedException e) {
            r.r1 = 3;
        }
    }

    @Actor
    public void grantThenTrip() {
        last.close();
        breaker.close();
    }

    @Arbiter
    public void check(II_Result r) {
        r.r2 = permits.available();
    }
}
