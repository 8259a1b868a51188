package dev.breaker.jcstress;

import dev.breaker.Breaker;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** A timeout breaker closed by two threads at once trips once and leaves its timer entry freed. */
@JCStressTest
@Outcome(id = "1, 0", expect = Expect.ACCEPTABLE, desc = "one trip, entry freed")
@Outcome(expect = Expect.FORBIDDEN, desc = "double trip or leaked entry")
@State
public class TwoClosers {
    private final Breaker breaker = Breaker.byTimeout(Duration.ofHours(1));
    private final AtomicInteger runs = new AtomicInteger();

    public TwoClosers() {
        breaker.onBreak(runs::incrementAndGet);
    }

    @Actor
    public void first() {
        breaker.close();
    }

    @Actor
    public void second() {
        breaker.close();
    }

    @Arbiter
    public void check(II_Result r) {
        r.r1 = runs.get();
        r.r2 = ((dev.breaker.internal.AbstractBreaker) breaker).listenerCount();
    }
}
