package dev.breaker.jcstress;

import dev.breaker.Breaker;
import dev.breaker.internal.AbstractBreaker;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A push onto a non-empty listener stack races the trip's swap of the stack: the pushed action
 * is in the detached stack, or the push fails on the sentinel, or the pusher sees the reason
 * and takes its node back; in every case it runs exactly once (as does the one already there).
 * {@link OnBreakVersusClose} is the same race on an empty stack (the trip's path without swap).
 */
@JCStressTest
@Outcome(id = "1, 1, 0", expect = Expect.ACCEPTABLE, desc = "each ran exactly once, nothing counted")
@Outcome(expect = Expect.FORBIDDEN, desc = "lost, duplicated or left counted")
@State
public class LinkVersusTrip {
    private final AbstractBreaker breaker = (AbstractBreaker) Breaker.manual();
    private final AtomicInteger first = new AtomicInteger();
    private final AtomicInteger late = new AtomicInteger();

    public LinkVersusTrip() {
        breaker.onBreak(first::incrementAndGet);
    }

    @Actor
    public void link() {
        breaker.onBreak(late::incrementAndGet);
    }

    @Actor
    public void trip() {
        breaker.close();
    }

    @Arbiter
    public void check(III_Result r) {
        r.r1 = first.get();
        r.r2 = late.get();
        r.r3 = breaker.listenerCount();
    }
}
