package dev.breaker.jcstress;

import dev.breaker.internal.TimerProbe;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * Issue 27: the timer publishes the tick it will sleep until and then looks for announcements
 * once more, while a schedule that made its stripe's tick earlier sets its dirty bits and then
 * reads that wake tick. One of the two must see the other: never does the timer park past the
 * announced tick with nobody waking it. (Checked the other way: with the announcer reading the
 * wake tick before setting its bits, {@code -m quick} observes the forbidden outcome.)
 */
@JCStressTest
@Outcome(id = "true, true", expect = Expect.ACCEPTABLE, desc = "the timer parks; the announcer unparks it")
@Outcome(id = "false, true", expect = Expect.ACCEPTABLE, desc = "the timer takes the announcement first; an extra unpark (harmless)")
@Outcome(id = "false, false", expect = Expect.ACCEPTABLE, desc = "the timer takes the announcement; the announcer saw it awake")
@Outcome(id = "true, false", expect = Expect.FORBIDDEN, desc = "the timer parks past the announced tick and nobody wakes it")
@State
public class TimerAnnounceVersusPark {
    private final TimerProbe probe = new TimerProbe(2);

    @Actor
    public void timer(ZZ_Result r) {
        r.r1 = probe.publishWakeTick(1_000); // true: it parks until tick 1,000
    }

    @Actor
    public void announcer(ZZ_Result r) {
        r.r2 = probe.markAnnounced(1, 10); // true: it unparks the timer for tick 10
    }
}
