package dev.breaker.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 27: what one wake-up of the timer costs must not grow with the number of stripes or with
 * how far away the waiting entries are. The shape of the issue, on a threadless wheel with a fake
 * clock and the production geometry: one sparse entry on every stripe but one, and one stripe
 * keeping a 1 ms entry due, so the timer wakes every tick. {@link TimerWheel#work()} counts the
 * stripes the timer locks and the slots (buckets and bitmap words) it reads; the test asserts a
 * bound per wake-up, the same for 4 and for 1,024 stripes, and for entries 3.5 s, 60 s and 5 h
 * out: {@link #BOUND} when no sparse entry fires or moves down a level at that tick, plus
 * {@link #PER_EVENT} for each that does (real work, at most once per entry and level). Before
 * the change (every stripe asked, a level-0 entry found by scanning slot by slot) the worst
 * wake-up inspected 13 to 4,636,141 stripes and slots (1,024 stripes, entries 3.5 s out).
 * Deterministic: the clock moves only when the test moves it.
 */
class TimerWakeCostTest {
    private static final long MS = TimerWheel.TICK_NANOS;
    /** Stripes and slots per wake-up with nothing due but the hot entry. */
    private static final long BOUND = 16;
    /** What each sparse entry that fires or moves down a level may add to its wake-up. */
    private static final long PER_EVENT = 24;

    @Test
    void aWakeUpCostsTheSameWhateverTheStripesAndTheDistance() {
        StringBuilder over = new StringBuilder();
        StringBuilder all = new StringBuilder();
        for (int stripes : new int[] {4, 64, 256, 1_024}) {
            for (long distanceMs : new long[] {3_500, 60_000, TimeUnit.HOURS.toMillis(5)}) {
                String r = run(stripes, distanceMs);
                all.append(r).append('\n');
                if (r.contains("OVER")) {
                    over.append(r).append('\n');
                }
            }
        }
        System.out.print(all);
        assertEquals("", over.toString(), "wake-ups above the bound (every case:\n" + all + ")");
    }

    /** Runs the shape; returns a line with the worst wake-up cost and the first one over the bound. */
    private static String run(int stripes, long distanceMs) {
        AtomicLong clock = new AtomicLong(0);
        TimerWheel wheel = new TimerWheel(clock::get, TimerWheel.SHIFT, MS, stripes, false);
        List<WheelEntry> sparse = new ArrayList<>();
        for (int i = 1; i < stripes; i++) { // one entry on each stripe but 0, spread over a second
            sparse.add(WheelEntry.after(wheel, (distanceMs + (i * 7_919L) % 1_000) * MS, i));
        }
        // set-up: the wake-up that takes each stripe's first announcement (one per stripe that got
        // its first entry: work per schedule, not per wake-up) is not measured
        wheel.wake();
        WheelEntry hot = WheelEntry.after(wheel, MS, 0);
        long ticks = Math.min(distanceMs + 1_001, 6_000); // the 3.5 s entries all fire in this run
        long worst = 0;
        long worstWithFiring = 0;
        int firedBefore = 0;
        long movesBefore = wheel.moves();
        String firstOver = null;
        for (long t = 1; t <= ticks; t++) {
            clock.set(t * MS);
            long before = wheel.work();
            long next = wheel.wake();
            long cost = wheel.work() - before;
            assertTrue(hot.isBroken(), "the hot entry fires at its tick");
            int fired = (int) sparse.stream().filter(WheelEntry::isBroken).count();
            long moves = wheel.moves();
            long events = fired - firedBefore + moves - movesBefore;
            long allowed = BOUND + PER_EVENT * events;
            String where = stripes + " stripes, entries " + distanceMs + " ms out, tick " + t;
            if (cost > allowed && firstOver == null) {
                firstOver = "OVER at tick " + t + ": " + cost + " > " + allowed;
            }
            worst = Math.max(worst, events == 0 ? cost : 0);
            worstWithFiring = Math.max(worstWithFiring, cost);
            firedBefore = fired;
            movesBefore = moves;
            hot = WheelEntry.after(wheel, MS, 0);
            assertEquals(t + 1, Math.min(next, t + 1), where + ": the timer must wake for the hot entry");
        }
        for (WheelEntry e : sparse) {
            assertEquals(clock.get() >= e.dueNanos, e.isBroken(), "fires at its tick, never early");
        }
        if (distanceMs > 10_000) {
            assertFalse(sparse.stream().anyMatch(WheelEntry::isBroken));
        }
        hot.close();
        sparse.forEach(WheelEntry::close);
        assertEquals(0, wheel.pendingCount());
        return String.format("%5d stripes, entries %8d ms out: worst wake-up %7d (no sparse entry fires or moves), %7d (any)%s",
                stripes, distanceMs, worst, worstWithFiring, firstOver == null ? "" : "; " + firstOver);
    }
}
