package dev.breaker.jcstress;

import dev.breaker.Breaker;
import dev.breaker.internal.TimerProbe;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * Issue 27: the timer visits a stripe (fires its due entry, finds it empty, publishes "nothing"
 * and drops its mark) while another thread schedules a new entry on that stripe. Whichever comes
 * first, the timer learns of the new entry (from the stripe during the visit, or from its
 * announcement after it): it fires at its tick, not before, and the wheel ends empty.
 */
@JCStressTest
@Outcome(id = "1, 0, 1, 0", expect = Expect.ACCEPTABLE, desc = "first fired; second fired at its tick, not before")
@Outcome(expect = Expect.FORBIDDEN, desc = "an entry lost, early, or left in the wheel")
@State
public class TimerScheduleVersusVisit {
    private final TimerProbe probe = new TimerProbe(2);
    private Breaker second;

    public TimerScheduleVersusVisit() {
        probe.setMillis(0);
        probe.arm(5, 1); // stripe 1's mark goes to tick 5
        probe.runDue();
        probe.setMillis(5);
    }

    @Actor
    public void timer(IIII_Result r) {
        r.r1 = probe.runDue(); // visits stripe 1 at tick 5
    }

    @Actor
    public void schedule() {
        second = probe.arm(3, 1); // due at tick 8, on the stripe being visited
    }

    @Arbiter
    public void check(IIII_Result r) {
        probe.setMillis(7);
        probe.runDue();
        r.r2 = second.isBroken() ? 1 : 0;
        probe.setMillis(8);
        probe.runDue();
        r.r3 = second.isBroken() ? 1 : 0;
        r.r4 = probe.pending();
    }
}
