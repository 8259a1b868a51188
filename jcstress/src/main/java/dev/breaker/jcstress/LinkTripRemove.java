package dev.breaker.jcstress;

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
 * The lock-free listener stack: a push (onBreak), the removal of a registration that is not on
 * top of the stack (a CAS of its state) and a trip (swap of the stack, CAS claim of each node)
 * race. The kept and the late action run exactly once, the removed one once or never, and no
 * registration is left counted.
 */
@JCStressTest
@Outcome(id = "1, 1, 0, 0", expect = Expect.ACCEPTABLE, desc = "removed before the trip took it")
@Outcome(id = "1, 1, 1, 0", expect = Expect.ACCEPTABLE, desc = "the trip took it before the removal")
@Outcome(expect = Expect.FORBIDDEN, desc = "an action lost or run twice, or a registration left")
@State
public class LinkTripRemove {
    private final AbstractBreaker breaker = (AbstractBreaker) Breaker.manual();
    private final AtomicInteger kept = new AtomicInteger();
    private final AtomicInteger late = new AtomicInteger();
    private final AtomicInteger removed = new AtomicInteger();
    private final Breaker.Registration toRemove;

    public LinkTripRemove() {
        toRemove = breaker.onBreak(removed::incrementAndGet);
        breaker.onBreak(kept::incrementAndGet); // on top: toRemove is inside the stack
    }

    @Actor
    public void link() {
        breaker.onBreak(late::incrementAndGet);
    }

    @Actor
    public void remove() {
        toRemove.close();
    }

    @Actor
    public void trip() {
        breaker.close();
    }

    @Arbiter
    public void check(IIII_Result r) {
        r.r1 = kept.get();
        r.r2 = late.get();
        r.r3 = removed.get();
        r.r4 = breaker.listenerCount();
    }
}
