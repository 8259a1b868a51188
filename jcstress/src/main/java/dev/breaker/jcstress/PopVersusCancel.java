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
 * On a live breaker, the removal of the top registration (a CAS of the stack's head, skipping
 * cancelled nodes under it) races the removal of the one under it (a CAS of its state): the
 * bottom one is never unlinked with them, the count is exact, and only the bottom one runs.
 */
@JCStressTest
@Outcome(id = "1, 1, 0", expect = Expect.ACCEPTABLE, desc = "exact count; only the live one ran")
@Outcome(expect = Expect.FORBIDDEN, desc = "the live registration lost, or a removed one run or counted")
@State
public class PopVersusCancel {
    private final AbstractBreaker breaker = (AbstractBreaker) Breaker.manual();
    private final AtomicInteger bottom = new AtomicInteger();
    private final AtomicInteger removed = new AtomicInteger();
    private final Breaker.Registration middle;
    private final Breaker.Registration top;

    public PopVersusCancel() {
        breaker.onBreak(bottom::incrementAndGet);
        middle = breaker.onBreak(removed::incrementAndGet);
        top = breaker.onBreak(removed::incrementAndGet);
    }

    @Actor
    public void pop() {
        top.close();
    }

    @Actor
    public void cancel() {
        middle.close();
    }

    @Arbiter
    public void check(III_Result r) {
        r.r1 = breaker.listenerCount();
        breaker.close();
        r.r2 = bottom.get();
        r.r3 = removed.get();
    }
}
