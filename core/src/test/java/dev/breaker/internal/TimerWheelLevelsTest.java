package dev.breaker.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The wheel on a fake clock, without its thread: small geometries make every cascade path
 * (level k down to level k-1, …, down to level 0) happen in a few thousand ticks, as Kafka's
 * timer tests do with a 3-bucket wheel.
 */
class TimerWheelLevelsTest {
    private final AtomicLong clock = new AtomicLong(1_000_003); // any origin

    @Test
    void everyEntryFiresExactlyAtItsTickThroughEveryLevel() {
        // 4 buckets per level, 1 ns tick: distances up to 4^7 ticks cross seven levels
        TimerWheel wheel = new TimerWheel(clock::get, 2, 1, false);
        Random rnd = new Random(42);
        List<WheelEntry> entries = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            entries.add(WheelEntry.after(wheel, 1 + rnd.nextInt(1 << 14)));
        }
        assertEquals(entries.size(), wheel.pendingCount());
        int fired = 0;
        for (long t = 0; t <= (1 << 14) + 1; t++) {
            clock.incrementAndGet();
            fired += wheel.runDue();
            for (WheelEntry e : entries) {
                // never early, and at the very tick it is due: the clock moved one tick at a time
                assertEquals(clock.get() >= e.dueNanos, e.isBroken(), () -> "entry due at " + e.dueNanos + ", now " + clock.get());
            }
            if (t % 512 == 0) {
                entries.removeIf(e -> e.isBroken() && e.dueNanos < clock.get() - 1);
            }
        }
        assertEquals(3_000, fired);
        assertEquals(0, wheel.pendingCount());
        // seven levels: an entry moves down at most once per level
        assertTrue(wheel.moves() <= 3_000L * 7, "moves " + wheel.moves());
    }

    @Test
    void bigJumpsOfTheClockFireEverythingDueAndNothingElse() {
        TimerWheel wheel = new TimerWheel(clock::get, 3, 1, false);
        Random rnd = new Random(7);
        List<WheelEntry> entries = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            entries.add(WheelEntry.after(wheel, 1 + (long) rnd.nextInt(1 << 20)));
        }
        while (wheel.pendingCount() > 0) {
            clock.addAndGet(1 + rnd.nextInt(5_000));
            wheel.runDue();
            for (WheelEntry e : entries) {
                assertEquals(clock.get() >= e.dueNanos, e.isBroken());
            }
        }
        assertTrue(wheel.moves() <= 5_000L * 7, "moves " + wheel.moves());
    }

    @Test
    void cancellingFromEveryLevelInRandomOrderLeavesNothing() {
        TimerWheel wheel = new TimerWheel(clock::get, 2, 1, false);
        Random rnd = new Random(3);
        List<WheelEntry> entries = new ArrayList<>();
        for (int i = 0; i < 4_000; i++) {
            entries.add(WheelEntry.after(wheel, 1 + rnd.nextInt(1 << 16)));
        }
        clock.addAndGet(1_000); // some cascades have happened
        wheel.runDue();
        List<WheelEntry> shuffled = new ArrayList<>(entries);
        Collections.shuffle(shuffled, rnd);
        List<WheelEntry> kept = new ArrayList<>();
        for (int i = 0; i < shuffled.size(); i++) {
            WheelEntry e = shuffled.get(i);
            if (i % 2 == 0) {
                e.close();
            } else {
                kept.add(e);
            }
        }
        long live = kept.stream().filter(e -> !e.isBroken()).count();
        assertEquals(live, wheel.pendingCount());
        clock.addAndGet(1 << 17);
        wheel.runDue();
        assertEquals(0, wheel.pendingCount());
        for (WheelEntry e : kept) {
            assertTrue(e.isBroken());
        }
    }

    @Test
    void cancellingAtEveryPhaseOfALevelBoundaryLeavesTheWheelWhole() {
        // 4 buckets per level: a slot ends every 4 ticks; cancel while the wheel stands at every
        // tick around boundaries, including just before one (where a bucket is about to move down)
        for (int stop = 1; stop < 40; stop++) {
            AtomicLong fake = new AtomicLong(0);
            TimerWheel wheel = new TimerWheel(fake::get, 2, 1, false);
            List<WheelEntry> cancelled = new ArrayList<>();
            List<WheelEntry> kept = new ArrayList<>();
            for (int d = 1; d < 300; d++) {
                cancelled.add(WheelEntry.after(wheel, d));
                kept.add(WheelEntry.after(wheel, d));
            }
            fake.set(stop);
            wheel.runDue();
            for (WheelEntry e : cancelled) {
                e.close();
            }
            for (long t = stop; t <= 301; t++) {
                fake.set(t);
                wheel.runDue();
                for (WheelEntry e : kept) {
                    assertEquals(t >= e.dueNanos, e.isBroken(), "stopped at " + stop + ", now " + t);
                }
            }
            assertEquals(0, wheel.pendingCount(), "stopped at " + stop);
            for (WheelEntry e : cancelled) {
                if (e.dueNanos > stop) { // not yet due when closed: closed, never fired
                    assertEquals(dev.breaker.BreakReason.Kind.CLOSED, e.reason().orElseThrow().kind());
                }
            }
        }
    }

    @Test
    void farAwayEntriesAreNeverRescanned() {
        // production geometry: 4,096 buckets of 1 ms per level
        TimerWheel wheel = new TimerWheel(clock::get, TimerWheel.SHIFT, TimerWheel.TICK_NANOS, false);
        Random rnd = new Random(11);
        long tenHours = TimeUnit.HOURS.toNanos(10);
        List<WheelEntry> far = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            far.add(WheelEntry.after(wheel, tenHours + rnd.nextInt(1_000_000_000)));
        }
        WheelEntry soon = WheelEntry.after(wheel, TimeUnit.SECONDS.toNanos(6));
        // 8 s of ticks, one by one: two level-1 boundaries pass, and no far entry is touched
        for (int ms = 0; ms < 8_000; ms++) {
            clock.addAndGet(TimerWheel.TICK_NANOS);
            wheel.runDue();
        }
        assertTrue(soon.isBroken());
        assertEquals(1, wheel.moves(), "only the 6 s entry moved (level 1 to level 0)");
        assertEquals(100_000, wheel.pendingCount());
        // then ten hours in steps of a second: each far entry moves at most twice (2 -> 1 -> 0)
        while (wheel.pendingCount() > 0) {
            clock.addAndGet(TimeUnit.SECONDS.toNanos(1));
            wheel.runDue();
        }
        for (WheelEntry e : far) {
            assertTrue(e.isBroken());
        }
        assertTrue(wheel.moves() <= 1 + 2 * 100_000L, "moves " + wheel.moves());
    }

    @Test
    void anEntryBeyondEveryLevelSaturatesAndStaysCancellable() {
        TimerWheel wheel = new TimerWheel(clock::get, TimerWheel.SHIFT, TimerWheel.TICK_NANOS, false);
        WheelEntry forever = WheelEntry.after(wheel, Long.MAX_VALUE);
        clock.addAndGet(TimeUnit.DAYS.toNanos(365L * 99)); // within the library's cap (36,500 days), where it saturates
        wheel.runDue();
        assertFalse(forever.isBroken());
        forever.close();
        assertEquals(0, wheel.pendingCount());
    }
}
