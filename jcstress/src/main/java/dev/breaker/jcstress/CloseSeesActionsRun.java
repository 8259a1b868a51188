package dev.breaker.jcstress;

import dev.breaker.Breaker;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two threads close one breaker: whichever loses the trip still returns only after the
 * winner ran every action, so both see both actions done.
 */
@JCStressTest
@Outcome(id = "2, 2", expect = Expect.ACCEPTABLE, desc = "each close() returned after the actions ran")
@Outcome(expect = Expect.FORBIDDEN, desc = "a close() returned while the other thread still ran actions")
@State
public class CloseSeesActionsRun {
    private final Breaker breaker = Breaker.manual();
    private final AtomicInteger runs = new AtomicInteger();

    public CloseSeesActionsRun() {
        breaker.onBreak(runs::incrementAndGet);
        breaker.onBreak(runs::incrementAndGet);
    }

    @Actor
    public void first(II_Result r) {
        breaker.close();
        r.r1 = runs.get();
    }

    @Actor
    public void second(II_Result r) {
        breaker.close();
        r.r2 = runs.get();
    }
}
