package dev.breaker.jcstress;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;
import dev.breaker.internal.AbstractBreaker;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A multiplex closed while one of its children trips (its link on that child runs without a
 * claim, as tripping a tripped multiplex does nothing): the multiplex's action runs exactly
 * once, with the reason that won, and no link is left on either child.
 */
@JCStressTest
@Outcome(id = "1, 1, 0, 0", expect = Expect.ACCEPTABLE, desc = "closed first")
@Outcome(id = "1, 2, 0, 0", expect = Expect.ACCEPTABLE, desc = "the child tripped it first")
@Outcome(expect = Expect.FORBIDDEN, desc = "action lost or run twice, or a link left")
@State
public class MultiplexCloseVersusChildTrip {
    private final AbstractBreaker dying = (AbstractBreaker) Breaker.manual();
    private final AbstractBreaker survivor = (AbstractBreaker) Breaker.manual();
    private final Breaker multiplex = Breaker.multiplex(dying, survivor);
    private final AtomicInteger runs = new AtomicInteger();

    public MultiplexCloseVersusChildTrip() {
        multiplex.onBreak(runs::incrementAndGet);
    }

    @Actor
    public void close() {
        multiplex.close();
    }

    @Actor
    public void trip() {
        dying.close();
    }

    @Arbiter
    public void check(IIII_Result r) {
        r.r1 = runs.get();
        r.r2 = multiplex.reason().orElseThrow().kind() == BreakReason.Kind.CLOSED ? 1 : 2;
        r.r3 = survivor.listenerCount();
        r.r4 = dying.listenerCount();
    }
}
