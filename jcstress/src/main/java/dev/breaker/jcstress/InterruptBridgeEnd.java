package dev.breaker.jcstress;

import dev.breaker.Breaker;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.Z_Result;

/**
 * A breaker tripping just as {@code call} returns never leaves the caller's thread interrupted:
 * the interrupt is either delivered within the span and cleared, or not delivered at all.
 */
@JCStressTest
@Outcome(id = "false", expect = Expect.ACCEPTABLE, desc = "thread leaves as it entered")
@Outcome(id = "true", expect = Expect.FORBIDDEN, desc = "stray interrupt after the call")
@State
public class InterruptBridgeEnd {
    private final Breaker breaker = Breaker.manual();

    @Actor
    public void caller(Z_Result r) {
        try {
            breaker.call(() -> 1);
        } catch (Exception brokenBeforeOrDuring) {
            // acceptable: the breaker may have tripped before the call
        }
        r.r1 = Thread.interrupted();
    }

    @Actor
    public void tripper() {
        breaker.close();
    }
}
