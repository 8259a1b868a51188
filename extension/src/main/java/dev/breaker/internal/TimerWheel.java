package dev.breaker.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The one timer of all time-based breakers: a hashed timing wheel of {@value #BUCKETS} buckets
 * with a {@linkplain #TICK_NANOS 1 ms} tick, driven by a single daemon thread.
 *
 * <p>Each {@link TimedBreaker} is its own entry (intrusive doubly linked list per bucket), so
 * scheduling and cancelling are O(1) and allocate nothing. An entry due in more than one
 * rotation (4.096 s) waits in its bucket until the rotation in which its tick comes. On each tick
 * the thread unlinks the due entries of one bucket under the lock and trips them outside it, so
 * a breaker fires at most one tick (plus scheduling jitter) after its deadline and never before.
 *
 * <p>The thread starts with the first entry and ticks only while entries are pending. While the
 * wheel is empty it sleeps for {@link #LINGER_NANOS} and then exits; the next schedule starts a
 * new one. A schedule wakes the sleeping thread only if its entry is due before the thread would
 * wake on its own, so the common create-then-close of a request breaker never signals the
 * thread. Cancelled entries are unlinked at once.
 *
 * <p>Thread safety: every field below is guarded by {@code this}; {@link #schedule} and
 * {@link #cancel} may be called from any thread. Breakers trip on the timer thread, so their
 * actions run there: they must be short.
 */
public final class TimerWheel {
    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    static final int BUCKETS = 4096;
    static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(1);

    static final TimerWheel INSTANCE = new TimerWheel();

    private final long origin = System.nanoTime();
    private final TimedBreaker[] buckets = new TimedBreaker[BUCKETS];
    /** Every tick up to and including this one has been processed. */
    private long processedTick;
    private int pending;
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
            if (tick <= processedTick) {
                tick = processedTick + 1;
            }
            entry.tick = tick;
            int index = (int) (tick & (BUCKETS - 1));
            TimedBreaker first = buckets[index];
            entry.wheelPrev = null;
            entry.wheelNext = first;
            if (first != null) {
                first.wheelPrev = entry;
            }
            buckets[index] = entry;
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
            }
        }
    }

    private void unlink(TimedBreaker entry) {
        if (entry.wheelPrev != null) {
            entry.wheelPrev.wheelNext = entry.wheelNext;
        } else {
            buckets[(int) (entry.tick & (BUCKETS - 1))] = entry.wheelNext;
        }
        if (entry.wheelNext != null) {
            entry.wheelNext.wheelPrev = entry.wheelPrev;
        }
        entry.wheelPrev = null;
        entry.wheelNext = null;
        entry.tick = -1;
        pending--;
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
            synchronized (this) {
                if (pending == 0) {
                    processedTick = Math.max(processedTick, currentTick);
                } else if (currentTick > processedTick) {
                    expired = collect(currentTick);
                }
                empty = pending == 0;
                if (empty) {
                    if (idleSince == 0) {
                        idleSince = now | 1;
                    } else if (now - idleSince >= LINGER_NANOS && expired == null) {
                        thread = null;
                        return;
                    }
                } else {
                    idleSince = 0;
                }
                // idle: sleep through the linger unless an entry due earlier arrives
                wakeTick = empty ? currentTick + LINGER_NANOS / TICK_NANOS : currentTick + 1;
            }
            fire(expired);
            long wakeAt = origin + (empty ? currentTick * TICK_NANOS + LINGER_NANOS : (currentTick + 1) * TICK_NANOS);
            LockSupport.parkNanos(this, Math.max(1, wakeAt - System.nanoTime()));
        }
    }

    /** Unlinks every entry due by {@code upTo} and returns them chained by wheelNext. */
    private TimedBreaker collect(long upTo) {
        TimedBreaker expired = null;
        long from = processedTick + 1;
        long count = Math.min(upTo - from + 1, BUCKETS);
        for (long t = from; t < from + count; t++) {
            int index = (int) (t & (BUCKETS - 1));
            for (TimedBreaker e = buckets[index]; e != null; ) {
                TimedBreaker next = e.wheelNext;
                if (e.tick <= upTo) {
                    unlink(e);
                    e.wheelNext = expired;
                    expired = e;
                }
                e = next;
            }
        }
        processedTick = upTo;
        return expired;
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
