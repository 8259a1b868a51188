package dev.breaker.jcstress;

import dev.breaker.Breaker;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

import java.util.concurrent.atomic.AtomicInteger;

/** An action registered while another thread closes the breaker runs exactly once. */
@JCStressTest
@Outcome(id = "1", expect = Expect.ACCEPTABLE, desc = "ran exactly once")
@Outcome(expect = Expect.FORBIDDEN, desc = "lost or duplicated")
@State
public class OnBreakVersusClose {
    private final Breaker breaker = Breaker.manual();
    private final AtomicInteger runs = new AtomicInteger();

    @Actor
    public void register() {
        breaker.onBreak(runs::incrementAndGet);
    }

    @Actor
    public void close() {
        breaker.close();
    }

    @Arbiter
    public void count(I_Result r) {
        r.r1 = runs.get();
    }
}
