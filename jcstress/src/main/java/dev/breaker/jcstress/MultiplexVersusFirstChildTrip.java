package dev.breaker.jcstress;

import dev.breaker.Breaker;
import dev.breaker.internal.AbstractBreaker;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZI_Result;

/**
 * A multiplex built while its first child trips, so that the trip may close the multiplex's
 * registrations while the others are still being linked: {@code multiplex(...)} returns (never
 * throws), tripped, and keeps no registration on the other child.
 */
@JCStressTest
@Outcome(id = "true, 0", expect = Expect.ACCEPTABLE, desc = "tripped, nothing left registered")
@Outcome(expect = Expect.FORBIDDEN, desc = "missed trip or leaked registration")
@State
public class MultiplexVersusFirstChildTrip {
    private final Breaker dying = Breaker.manual();
    private final AbstractBreaker survivor = (AbstractBreaker) Breaker.manual();
    private volatile Breaker multiplex;

    @Actor
    public void build() {
        multiplex = Breaker.multiplex(dying, survivor);
    }

    @Actor
    public void trip() {
        dying.close();
    }

    @Arbiter
    public void check(ZI_Result r) {
        r.r1 = multiplex.isBroken();
        r.r2 = survivor.listenerCount();
    }
}
