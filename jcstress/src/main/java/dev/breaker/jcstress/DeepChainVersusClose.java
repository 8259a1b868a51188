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

/**
 * The iterative trip: a chain base &lt;- m1 &lt;- m2 &lt;- m3 of multiplexes, its base closed by one
 * thread while another closes its top. Every level ends tripped and no level keeps a
 * registration on the one below.
 */
@JCStressTest
@Outcome(id = "1, 0, 0", expect = Expect.ACCEPTABLE, desc = "all tripped, nothing left registered")
@Outcome(expect = Expect.FORBIDDEN, desc = "a live level or a leaked registration")
@State
public class DeepChainVersusClose {
    private final Breaker base = Breaker.manual();
    private final Breaker m1 = Breaker.multiplex(base);
    private final Breaker m2 = Breaker.multiplex(m1);
    private final Breaker m3 = Breaker.multiplex(m2);

    @Actor
    public void closeBase() {
        base.close();
    }

    @Actor
    public void closeTop() {
        m3.close();
    }

    @Arbiter
    public void check(III_Result r) {
        r.r1 = base.isBroken() && m1.isBroken() && m2.isBroken() && m3.isBroken() ? 1 : 0;
        r.r2 = ((AbstractBreaker) base).listenerCount() + ((AbstractBreaker) m1).listenerCount();
        r.r3 = ((AbstractBreaker) m2).listenerCount() + ((AbstractBreaker) m3).listenerCount();
    }
}
