package dev.breaker.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The one timer of all time-based breakers: a hierarchical timing wheel driven by a single
 * daemon thread, with a {@linkplain #TICK_NANOS 1 ms} tick.
 *
 * <ul>
 *   <li>Time is cut into slots of {@value #BUCKETS} ticks (4.096 s).
 *   <li>Level 0: {@value #BUCKETS} buckets of one tick each, holding exactly the entries due in
 *       the current slot, so every entry of a bucket is due when its tick comes.
 *   <li>Level 1: {@value #BUCKETS} buckets of one slot each, for the next 4,095 slots (about
 *       4.7 hours). When a slot begins, its level-1 bucket moves down to level 0.
 *   <li>Overflow: one list for entries due later still, looked at once per slot.
 * </ul>
 *
 * <p>Each {@link TimedBreaker} is its own entry (an intrusive doubly linked list per bucket), so
 * scheduling and cancelling are O(1) and allocate nothing, and an entry is moved at most twice
 * before it fires, however far away it is. On each tick the thread unlinks the due entries of one
 * level-0 bucket under the lock and trips them outside it, so a breaker fires at most one tick
 * (plus scheduling jitter) after its deadline and never before.
 *
 * <p>The thread starts with the first entry. It wakes once per tick only while level 0 holds
 * entries; otherwise it sleeps until the next level-1 bucket begins, and while the wheel is empty
 * it sleeps for {@link #LINGER_NANOS} and then exits (the next schedule starts a new one). A
 * schedule wakes the sleeping thread only if its entry is due before the thread would wake on its
 * own, so the common create-then-close of a request breaker never signals the thread. Cancelled
 * entries are unlinked at once.
 *
 * <p>Thread safety: every field below is guarded by {@code this}; {@link #schedule} and
 * {@link #cancel} may be called from any thread. Breakers trip on the timer thread, so their
 * actions run there: they must be short.
 */
public final class TimerWheel {
    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    static final int SHIFT = 12;
    static final int BUCKETS = 1 << SHIFT;
    private static final int MASK = BUCKETS - 1;
    static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(1);

    static final TimerWheel INSTANCE = new TimerWheel();

    private final long origin = System.nanoTime();
    private final TimedBreaker[] level0 = new TimedBreaker[BUCKETS];
    private final TimedBreaker[] level1 = new TimedBreaker[BUCKETS];
    private TimedBreaker overflow;
    /** Every tick up to and including this one has been processed. */
    private long processedTick;
    private int pending;
    private int pendingLevel0;
    private Thread thread;
    /** The tick at which the parked timer thread will wake up on its own. */
    private long wakeTick;

    private TimerWheel() {
    }

    /** Entries waiting in the wheel: a test and monitoring hook. */
    public static int pending() {
        synchronized (INSTANCE) {
            return INSTANCE.pending;
        }
    }

    /** Whether the timer thread currently exists: a test and monitoring hook. */
    public static boolean threadAlive() {
        synchronized (INSTANCE) {
            return INSTANCE.thread != null;
        }
    }

    /** Links {@code entry} to fire at {@code deadlineNanos} ({@link System#nanoTime()} scale). */
    void schedule(TimedBreaker entry, long deadlineNanos) {
        long offset = deadlineNanos - origin;
        long tick = offset <= 0 ? 0 : (offset - 1) / TICK_NANOS + 1; // round up: never early
        Thread toStart = null;
        Thread toWake = null;
        synchronized (this) {
            if (pending == 0) {
                // an empty wheel may have been left behind by an exited thread: catch up at once
                processedTick = Math.max(processedTick, (System.nanoTime() - origin) / TICK_NANOS);
            }
            if (tick <= processedTick) {
                tick = processedTick + 1;
            }
            entry.tick = tick;
            place(entry);
            pending++;
            if (thread == null) {
                thread = toStart = newThread();
            } else if (tick < wakeTick) {
                toWake = thread; // only when it would otherwise sleep past this entry's tick
                wakeTick = tick;
            }
        }
        if (toStart != null) {
            toStart.start();
        } else if (toWake != null) {
            LockSupport.unpark(toWake);
        }
    }

    /** Unlinks {@code entry} if it is still waiting. */
    void cancel(TimedBreaker entry) {
        synchronized (this) {
            if (entry.tick >= 0) {
                unlink(entry);
                entry.tick = -1;
                pending--;
            }
        }
    }

    /** The level-1 slot of the next tick to process; level 0 holds exactly this slot's entries. */
    private long currentSlot() {
        return (processedTick + 1) >>> SHIFT;
    }

    /** Links an entry (tick set, unlinked) into the level its tick belongs to. */
    private void place(TimedBreaker e) {
        long slot = e.tick >>> SHIFT;
        long current = currentSlot();
        if (slot == current) {
            int i = (int) (e.tick & MASK);
            level0[i] = push(level0[i], e);
            pendingLevel0++;
        } else if (slot - current < BUCKETS) {
            int i = (int) (slot & MASK);
            level1[i] = push(level1[i], e);
        } else {
            overflow = push(overflow, e);
        }
    }

    private static TimedBreaker push(TimedBreaker head, TimedBreaker e) {
        e.wheelPrev = null;
        e.wheelNext = head;
        if (head != null) {
            head.wheelPrev = e;
        }
        return e;
    }

    /** Unlinks a linked entry from whichever list holds it; leaves its tick alone. */
    private void unlink(TimedBreaker e) {
        if (e.wheelPrev != null) {
            e.wheelPrev.wheelNext = e.wheelNext;
        } else {
            int i0 = (int) (e.tick & MASK);
            int i1 = (int) ((e.tick >>> SHIFT) & MASK);
            if (level0[i0] == e) {
                level0[i0] = e.wheelNext;
            } else if (level1[i1] == e) {
                level1[i1] = e.wheelNext;
            } else {
                overflow = e.wheelNext;
            }
        }
        if (e.wheelNext != null) {
            e.wheelNext.wheelPrev = e.wheelPrev;
        }
        if ((e.tick >>> SHIFT) == currentSlot()) {
            pendingLevel0--; // level 0 holds exactly the current slot's entries
        }
        e.wheelPrev = null;
        e.wheelNext = null;
    }

    private Thread newThread() {
        Thread t = new Thread(this::run, "breaker-timer");
        t.setDaemon(true);
        t.setContextClassLoader(TimerWheel.class.getClassLoader());
        return t;
    }

    private void run() {
        long idleSince = 0;
        for (;;) {
            long now = System.nanoTime();
            long currentTick = (now - origin) / TICK_NANOS;
            TimedBreaker expired = null;
            boolean empty;
            long sleepUntilTick;
            synchronized (this) {
                if (pending == 0) {
                    processedTick = Math.max(processedTick, currentTick);
                } else if (currentTick > processedTick) {
                    expired = advance(currentTick);
                }
                empty = pending == 0;
                if (empty) {
                    if (idleSince == 0) {
                        idleSince = now | 1;
                    } else if (now - idleSince >= LINGER_NANOS && expired == null) {
                        thread = null;
                        return;
                    }
                    sleepUntilTick = currentTick + LINGER_NANOS / TICK_NANOS;
                } else {
                    idleSince = 0;
                    // tick by tick while level 0 holds entries; else until the next level-1 bucket
                    sleepUntilTick = pendingLevel0 > 0 ? processedTick + 1 : (currentSlot() + 1) << SHIFT;
                }
                wakeTick = sleepUntilTick;
            }
            fire(expired);
            long wakeAt = origin + sleepUntilTick * TICK_NANOS;
            LockSupport.parkNanos(this, Math.max(1, wakeAt - System.nanoTime()));
        }
    }

    /**
     * Processes every tick up to {@code upTo}: unlinks the due level-0 entries and, at the end
     * of each slot, moves the next slot's level-1 bucket down to level 0 (and overflow entries
     * closer). Returns the due entries chained by wheelNext.
     */
    private TimedBreaker advance(long upTo) {
        TimedBreaker expired = null;
        while (processedTick < upTo) {
            long slotEnd = ((currentSlot() + 1) << SHIFT) - 1;
            if (pendingLevel0 == 0) {
                processedTick = Math.min(upTo, slotEnd); // nothing due in this slot: skip to its end
            } else {
                long t = processedTick + 1;
                int i = (int) (t & MASK);
                TimedBreaker e = level0[i];
                level0[i] = null;
                while (e != null) { // a level-0 bucket holds only entries due at its tick
                    TimedBreaker next = e.wheelNext;
                    e.wheelPrev = null;
                    e.tick = -1;
                    pending--;
                    pendingLevel0--;
                    e.wheelNext = expired;
                    expired = e;
                    e = next;
                }
                processedTick = t;
            }
            if (processedTick == slotEnd) {
                cascade();
            }
        }
        return expired;
    }

    /** A new slot begins: its level-1 bucket moves to level 0; overflow entries move closer. */
    private void cascade() {
        int i = (int) (currentSlot() & MASK);
        TimedBreaker e = level1[i];
        level1[i] = null;
        while (e != null) {
            TimedBreaker next = e.wheelNext;
            place(e);
            e = next;
        }
        TimedBreaker o = overflow;
        overflow = null;
        while (o != null) {
            TimedBreaker next = o.wheelNext;
            place(o);
            o = next;
        }
    }

    private static void fire(TimedBreaker expired) {
        while (expired != null) {
            TimedBreaker next = expired.wheelNext;
            expired.wheelNext = null;
            try {
                expired.fire();
            } catch (RuntimeException | Error e) {
                if (e instanceof VirtualMachineError) {
                    throw e;
                }
                AbstractBreaker.LOG.log(System.Logger.Level.WARNING, "Breaker timer: failure while tripping", e);
            }
            expired = next;
        }
    }
}
