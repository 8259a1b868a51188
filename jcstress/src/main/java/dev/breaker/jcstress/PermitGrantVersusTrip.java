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
 * Permits: the trip of a waiter's breaker races the grant of the last permit to that waiter
 * (the holder closes it), each on a thread of its own. Exactly one wins: the waiter gets the
 * permit (and releases it), or it gets a BrokenException and the permit is still free. Never
 * lost, never granted twice. The waiter's actor blocks until one of the others has run on the
 * same state, which the others always do (they never block).
 *
 * <p>Three actors: jcstress schedules this test only on a machine with at least 3 CPUs (on 2 it
 * reports "No scheduling is possible" and skips it). {@link PermitWaiterVersusGrantThenTrip} and
 * {@link PermitWaiterVersusTripThenGrant} cover the same ground with 2 actors, so they run
 * everywhere.
 */
@JCStressTest
@Outcome(id = "1, 1", expect = Expect.ACCEPTABLE, desc = "the caller got the permit and released it")
@Outcome(id = "2, 1", expect = Expect.ACCEPTABLE, desc = "BrokenException; the permit is still free")
@Outcome(expect = Expect.FORBIDDEN, desc = "permit lost, granted twice, or the waiter failed otherwise")
@State
public class PermitGrantVersusTrip {
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
    public void grant() {
        last.close();
    }

    @Actor
    public void trip() {
        breaker.close();
    }

    @Arbiter
    public void check(II_Result r) {
        r.r2 = permits.available();
    }
}
