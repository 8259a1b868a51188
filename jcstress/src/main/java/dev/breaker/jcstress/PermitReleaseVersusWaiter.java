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

import java.time.Duration;

/**
 * Permits: the last permit is given back without the lock (the fast path of {@code close()})
 * while a caller finds none free and joins the queue. The release adds to the count and then
 * looks for waiters; the waiter enqueues and then looks at the count: one of them must see the
 * other, so the waiter always gets the permit. A lost wake-up would leave the waiter parked with
 * the permit free until its breaker's 5 s timeout (outcome "2, 1"), which is forbidden here (in
 * {@link PermitWaiterVersusGrantThenTrip} a later trip would hide it).
 */
@JCStressTest
@Outcome(id = "1, 0", expect = Expect.ACCEPTABLE, desc = "the waiter got the permit given back, and holds it")
@Outcome(expect = Expect.FORBIDDEN, desc = "a lost wake-up (timed out with the permit free), or a permit lost or doubled")
@State
public class PermitReleaseVersusWaiter {
    private final Permits permits = new Permits(1);
    private final Permits.Permit last = permits.tryAcquire(1).orElseThrow();

    @Actor
    public void waiter(II_Result r) {
        try (Breaker breaker = Breaker.byTimeout(Duration.ofSeconds(5))) {
            permits.acquire(breaker, 1); // kept: the arbiter counts it as taken
            r.r1 = 1;
        } catch (BrokenException e) {
            r.r1 = 2;
        } catch (InterruptedException e) {
            r.r1 = 3;
        }
    }

    @Actor
    public void release() {
        last.close();
    }

    @Arbiter
    public void check(II_Result r) {
        r.r2 = permits.available();
    }
}
