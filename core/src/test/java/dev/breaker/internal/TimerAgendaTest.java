package dev.breaker.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 27: the occupancy bitmaps and the timer's agenda of stripes, against a model. Random
 * schedules on random stripes, cancels and clock moves (single ticks and big jumps) on a
 * threadless wheel with a fake clock; geometries with one bitmap word per level (64 buckets),
 * two (128) and the production 64 (4,096 buckets). After every wake-up: each live entry has
 * fired iff it is due, and the tick the timer would sleep to is never after the earliest live
 * entry's tick.
 */
class TimerAgendaTest {

    @Test
    void bitmapsAndAgendaAgreeWithAModel() {
        for (int shift : new int[] {6, 7, TimerWheel.SHIFT}) {
            for (int seed = 0; seed < 4; seed++) {
                run(shift, 8, seed);
            }
        }
        run(3, 64, 99); // more stripes than bitmap bits in one level word: the dirty words too
    }

    private static void run(int shift, int stripes, long seed) {
        AtomicLong clock = new AtomicLong(0);
        TimerWheel wheel = new TimerWheel(clock::get, shift, 1, stripes, false);
        Random rnd = new Random(seed);
        List<WheelEntry> live = new ArrayList<>();
        long span = 1L << Math.min(2 * shift + 2, 20); // reaches levels 0, 1 and 2
        int fired = 0;
        for (int step = 0; step < 6_000; step++) {
            int op = rnd.nextInt(10);
            if (op < 4) {
                long d = 1 + (rnd.nextInt(4) == 0 ? rnd.nextInt(1 << shift) : (long) (rnd.nextDouble() * span));
                live.add(WheelEntry.after(wheel, d, rnd.nextInt(stripes)));
            } else if (op < 5 && !live.isEmpty()) {
                live.remove(rnd.nextInt(live.size())).close();
            } else {
                clock.addAndGet(rnd.nextInt(20) == 0 ? rnd.nextInt((int) Math.min(span, 1 << 16)) : 1 + rnd.nextInt(3));
                long next = wheel.wake();
                long earliest = Long.MAX_VALUE;
                for (WheelEntry e : live) {
                    String where = "shift " + shift + ", seed " + seed + ", step " + step + ", now " + clock.get();
                    assertEquals(clock.get() >= e.dueNanos, e.isBroken(), () -> where + ": entry due at " + e.dueNanos);
                    if (!e.isBroken()) {
                        earliest = Math.min(earliest, e.dueNanos);
                    }
                }
                long due = earliest;
                assertTrue(next <= due, () -> "shift " + shift + ", seed " + seed + ": the timer would sleep to " + next
                        + " past an entry due at " + due);
                fired += (int) live.stream().filter(WheelEntry::isBroken).count();
                live.removeIf(WheelEntry::isBroken);
            }
        }
        assertEquals(live.size(), wheel.pendingCount());
        clock.addAndGet(span * 2);
        wheel.runDue();
        for (WheelEntry e : live) {
            assertTrue(e.isBroken());
        }
        assertEquals(0, wheel.pendingCount());
        assertTrue(fired > 0);
    }

    @Test
    void anEarlierEntryWakesATimerParkedForAFarOne() throws Exception {
        TimerWheel wheel = new TimerWheel(System::nanoTime, TimerWheel.SHIFT, TimerWheel.TICK_NANOS, 16, true);
        List<WheelEntry> far = new ArrayList<>();
        for (int s = 0; s < 16; s++) {
            far.add(WheelEntry.after(wheel, TimeUnit.MINUTES.toNanos(10), s));
        }
        // the thread is up and will sleep long: a 20 ms entry on another stripe must still fire
        for (int s = 0; s < 16; s++) {
            WheelEntry soon = WheelEntry.after(wheel, TimeUnit.MILLISECONDS.toNanos(20), s);
            assertTrue(soon.await(Duration.ofSeconds(10)), () -> "a 20 ms entry did not fire\n" + TimerDiagnostics.describe());
            assertTrue(System.nanoTime() >= soon.dueNanos);
        }
        far.forEach(WheelEntry::close);
        assertEquals(0, wheel.pendingCount());
        Thread t = wheel.thread();
        if (t != null) {
            t.join(15_000); // stale marks 10 minutes out are swept: the thread still exits
        }
        assertTrue(wheel.thread() == null, "the timer thread did not exit after its wheel emptied");
    }
}
