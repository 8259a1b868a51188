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
 * On a live breaker, the removal of the top registration (a CAS of the stack's head) races a
 * push: neither loses the other. The count is exact (the bottom one and the pushed one), and
 * when the breaker then trips, exactly those two run.
 */
@JCStressTest
@Outcome(id = "2, 1, 1, 0", expect = Expect.ACCEPTABLE, desc = "exact count; live ones ran once, the removed never")
@Outcome(expect = Expect.FORBIDDEN, desc = "a live registration lost, or the removed one run or counted")
@State
public class PopVersusPush {
    private final AbstractBreaker breaker = (AbstractBreaker) Breaker.manual();
    private final AtomicInteger bottom = new AtomicInteger();
    private final AtomicInteger pushed = new AtomicInteger();
    private final AtomicInteger removed = new AtomicInteger();
    private final Breaker.Registration top;

    public PopVersusPush() {
        breaker.onBreak(bottom::incrementAndGet);
        top = breaker.onBreak(removed::incrementAndGet);
    }

    @Actor
    public void pop() {
        top.close();
    }

    @Actor
    public void push() {
        breaker.onBreak(pushed::incrementAndGet);
    }

    @Arbiter
    public void check(IIII_Result r) {
        r.r1 = breaker.listenerCount();
        breaker.close();
        r.r2 = bottom.get();
        r.r3 = pushed.get();
        r.r4 = removed.get();
    }
}
