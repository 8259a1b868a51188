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
 * The lock-free listener stack: the removal of a registration inside the stack (a CAS of its
 * state) races a trip (a swap of the stack, then a CAS claim of each node). Whoever wins the
 * node's state owns its action: it ran once, or never; and if it ran, Registration.close()
 * returned only after it had run. The other action runs once; nothing stays counted.
 */
@JCStressTest
@Outcome(id = "0, 0, 1, 0", expect = Expect.ACCEPTABLE, desc = "removed before the trip took it")
@Outcome(id = "1, 1, 1, 0", expect = Expect.ACCEPTABLE, desc = "the trip took it; close() waited for it")
@Outcome(expect = Expect.FORBIDDEN, desc = "lost, run twice, run after close() returned, or left counted")
@State
public class RemoveVersusTrip {
    private final AbstractBreaker breaker = (AbstractBreaker) Breaker.manual();
    private final AtomicInteger kept = new AtomicInteger();
    private final AtomicInteger removed = new AtomicInteger();
    private final Breaker.Registration toRemove;

    public RemoveVersusTrip() {
        toRemove = breaker.onBreak(removed::incrementAndGet);
        breaker.onBreak(kept::incrementAndGet); // on top: toRemove is inside the stack
    }

    @Actor
    public void remove(IIII_Result r) {
        toRemove.close();
        r.r1 = removed.get(); // what had run when close() returned
    }

    @Actor
    public void trip() {
        breaker.close();
    }

    @Arbiter
    public void check(IIII_Result r) {
        r.r2 = removed.get();
        r.r3 = kept.get();
        r.r4 = breaker.listenerCount();
    }
}
