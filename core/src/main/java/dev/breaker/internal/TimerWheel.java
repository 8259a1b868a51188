package dev.breaker.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The one timer of all time-based breakers: a hierarchical timing wheel, striped by the
 * scheduling thread, driven by a single daemon thread with a {@linkplain #TICK_NANOS 1 ms} tick.
 *
 * <h2>Geometry</h2>
 * Ticks are numbered from the wheel's origin. Each level has {@code 2^shift} buckets (4,096 in
 * production); a bucket of level {@code k} spans {@code 2^(k*shift)} ticks (level 0: 1 ms,
 * level 1: 4.096 s, level 2: 4.7 h, level 3: 2.2 years, …), and as many levels exist as a
 * 63-bit tick needs; their bucket arrays are created when first used. An entry due at tick
 * {@code T} lives at the level of the highest group of {@code shift} bits in which {@code T}
 * differs from the next tick to process ({@code cur}), in the bucket numbered by {@code T}'s
 * bits of that group. When {@code cur} enters a bucket of level {@code k} (its low
 * {@code k*shift} bits become zero), that bucket's entries move down to the level of their next
 * differing group. So:
 * <ul>
 *   <li>a level-0 bucket holds exactly the entries due at its tick;
 *   <li>an entry moves at most once per level, and nothing is ever rescanned: there is no
 *       overflow list, whatever the distance;
 *   <li>schedule and cancel are O(1) and allocate nothing (each {@link TimedBreaker} is its own
 *       entry in an intrusive doubly linked list per bucket); an entry's level is found again
 *       from its tick and {@code cur}, so it stores nothing but its tick and stripe.
 * </ul>
 *
 * <h2>Stripes</h2>
 * The wheel is cut into {@link Stripe}s (a power of two, twice the processors in production),
 * each a complete wheel with its own lock; a breaker goes to the stripe of the thread that
 * created it and stays there, so request threads creating and closing breakers at once do not
 * queue on one lock. The timer thread visits every stripe.
 *
 * <h2>The thread</h2>
 * The thread starts with the first entry. It wakes only when a level-0 bucket is due or a level
 * boundary comes; while the wheel is empty it sleeps for {@link #LINGER_NANOS} and then exits
 * (the next schedule starts a new one). A schedule wakes the sleeping thread only if its entry is
 * due before the thread would wake on its own ({@link #wakeTick}, volatile), so the common
 * create-then-close of a request breaker never signals it. The thread publishes its wake tick and
 * then looks at every stripe once more, and a schedule links its entry and then reads the wake
 * tick, so one of the two always sees the other. A breaker fires at most one tick (plus
 * scheduling jitter) after its deadline, never before.
 *
 * <p>The thread trips due breakers and runs only the library's own short actions (a multiplex
 * link, a child's link); every user action and every dependent of {@code done()} goes to
 * {@link Callbacks}, so a blocking or throwing user action delays no other breaker. The thread
 * survives anything thrown on it; if it dies nonetheless, it starts its successor.
 *
 * <p>Thread safety: a stripe's fields are guarded by the stripe; {@link #thread} is written under
 * {@code this} and read anywhere (volatile), {@link #wakeTick} is written by the timer thread and
 * lowered by schedules (volatile). {@link #schedule} and {@link #cancel} may be called from any
 * thread. Breakers trip outside every lock.
 *
 * <p>For tests the wheel can be built with another clock, geometry, stripe count and no thread
 * ({@link #TimerWheel(LongSupplier, int, long, int, boolean)}, then {@link #runDue()}).
 */
public final class TimerWheel {
    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    static final int SHIFT = 12;
    static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(1);

    static final TimerWheel INSTANCE = new TimerWheel(System::nanoTime, SHIFT, TICK_NANOS,
            Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors()) * 4 - 1), true);

    private final LongSupplier clock;
    private final long tickNanos;
    private final boolean threaded;
    private final long origin;
    private final Stripe[] stripes;
    private final int stripeMask;
    /** The timer thread, or null. Written under {@code this}. */
    private volatile Thread thread;
    /** The tick at which the parked timer thread wakes on its own; 0 while it runs. */
    private volatile long wakeTick;

    TimerWheel(LongSupplier clock, int shift, long tickNanos, boolean threaded) {
        this(clock, shift, tickNanos, 1, threaded);
    }

    /**
     * @param clock     nanoseconds, monotonic ({@link System#nanoTime()} in production)
     * @param shift     log2 of the buckets per level (1..16)
     * @param tickNanos the tick, in nanoseconds of {@code clock}
     * @param stripes   a power of two
     * @param threaded  false: no thread is started; the test calls {@link #runDue()}
     */
    TimerWheel(LongSupplier clock, int shift, long tickNanos, int stripes, boolean threaded) {
        if (shift < 1 || shift > 16 || tickNanos <= 0 || Integer.bitCount(stripes) != 1) {
            throw new IllegalArgumentException("shift " + shift + ", tick " + tickNanos + ", stripes " + stripes);
        }
        this.clock = clock;
        this.tickNanos = tickNanos;
        this.threaded = threaded;
        this.origin = clock.getAsLong();
        this.stripes = new Stripe[stripes];
        for (int i = 0; i < stripes; i++) {
            this.stripes[i] = new Stripe(shift);
        }
        this.stripeMask = stripes - 1;
    }

    /** Entries waiting in the wheel: a test and monitoring hook. */
    public static int pending() {
        return INSTANCE.pendingCount();
    }

    /** Whether the timer thread currently exists: a test and monitoring hook. */
    public static boolean threadAlive() {
        return INSTANCE.thread != null;
    }

    int pendingCount() {
        return (int) sum(s -> s.pending);
    }

    long moves() {
        return sum(s -> s.moves);
    }

    /** Adds up one counter over the stripes, each read under its lock. */
    private long sum(java.util.function.ToLongFunction<Stripe> counter) {
        long n = 0;
        for (Stripe s : stripes) {
            synchronized (s) {
                n += counter.applyAsLong(s);
            }
        }
        return n;
    }

    Thread thread() {
        return thread;
    }

    /** The wheel's clock now: what a {@link TimedBreaker} measures its deadline against. */
    long now() {
        return clock.getAsLong();
    }

    private long currentTick() {
        return (clock.getAsLong() - origin) / tickNanos;
    }

    /**
     * Links {@code entry} to fire at {@code deadlineNanos} (this wheel's clock), the clock already
     * read at {@code nowNanos} (saves reading it twice).
     */
    /**
     * Nanoseconds until {@code entry}'s deadline, or -1 if it is not in the wheel: to within one
     * tick, and never more than the time really left (the entry's tick is its deadline rounded up
     * to a tick, so the deadline lies after the start of the tick before it). Reads the tick
     * under its stripe's lock.
     */
    long remainingNanos(TimedBreaker entry) {
        long tick;
        synchronized (stripes[entry.stripeHint & stripeMask]) {
            tick = entry.tick;
        }
        if (tick < 0) {
            return -1;
        }
        return Math.max(0, origin + (tick - 1) * tickNanos - clock.getAsLong());
    }

    void schedule(TimedBreaker entry, long deadlineNanos, long nowNanos) {
        long offset = deadlineNanos - origin;
        long tick = offset <= 0 ? 0 : (offset - 1) / tickNanos + 1; // round up: never early
        Stripe s = stripes[entry.stripeHint & stripeMask];
        synchronized (s) {
            if (s.pending == 0) {
                // an empty stripe may lag behind the clock: catch up at once (no cascade is owed:
                // every level is empty)
                s.processedTick = Math.max(s.processedTick, (nowNanos - origin) / tickNanos);
            }
            if (tick <= s.processedTick) {
                tick = s.processedTick + 1;
            }
            entry.tick = tick;
            s.place(entry);
            s.pending++;
        }
        if (!threaded) {
            return;
        }
        Thread t = thread;
        if (t == null) {
            startThread();
        } else if (tick < wakeTick) {
            LockSupport.unpark(t); // only when it would otherwise sleep past this entry's tick
            if (t.getState() == Thread.State.TERMINATED) {
                replace(t); // died without clearing the field (its last act failed too)
            }
        }
    }

    private void replace(Thread dead) {
        synchronized (this) {
            if (thread != dead) {
                return;
            }
            thread = null;
        }
        startThread();
    }

    /** Unlinks {@code entry} if it is still waiting. */
    void cancel(TimedBreaker entry) {
        Stripe s = stripes[entry.stripeHint & stripeMask];
        synchronized (s) {
            if (entry.tick >= 0) {
                s.unlink(entry);
                entry.tick = -1;
                s.pending--;
            }
        }
    }

    private void startThread() {
        Thread toStart = null;
        synchronized (this) {
            if (thread == null) {
                thread = toStart = newThread();
            }
        }
        if (toStart != null) {
            try {
                toStart.start();
            } catch (Throwable noThread) { // e.g. OutOfMemoryError: unable to create native thread
                synchronized (this) {
                    if (thread == toStart) {
                        thread = null; // the next schedule tries again
                    }
                }
                AbstractBreaker.reportQuietly(noThread, "starting the timer thread");
            }
        }
    }

    private Thread newThread() {
        Thread t = new Thread(this::run, "breaker-timer");
        t.setDaemon(true);
        t.setContextClassLoader(TimerWheel.class.getClassLoader());
        return t;
    }

    /**
     * Without a thread (tests): processes every tick up to the clock's now and trips the due
     * breakers on the calling thread.
     *
     * @return how many breakers were due
     */
    int runDue() {
        return fire(advanceAll(currentTick()));
    }

    /** Advances every stripe to {@code currentTick}; returns the due entries chained by wheelNext. */
    private TimedBreaker advanceAll(long currentTick) {
        TimedBreaker expired = null;
        for (Stripe s : stripes) {
            synchronized (s) {
                if (s.pending == 0) {
                    s.processedTick = Math.max(s.processedTick, currentTick);
                } else if (currentTick > s.processedTick) {
                    expired = s.advance(currentTick, expired);
                }
            }
        }
        return expired;
    }

    /** The earliest tick at which some stripe has something to do, or Long.MAX_VALUE. */
    private long earliestWork() {
        long earliest = Long.MAX_VALUE;
        for (Stripe s : stripes) {
            synchronized (s) {
                earliest = Math.min(earliest, s.nextWakeTick());
            }
        }
        return earliest;
    }

    private void run() {
        Thread me = Thread.currentThread();
        TripLoop.markInfrastructure(true);
        try {
            loop(me);
        } catch (Throwable t) {
            AbstractBreaker.reportQuietly(t, "running the timer (a new timer thread takes over)");
        } finally {
            boolean replace = false;
            synchronized (this) {
                if (thread == me) {
                    thread = null;
                    replace = true;
                }
            }
            if (replace && earliestWork() != Long.MAX_VALUE) {
                startThread(); // died with work to do: never leave entries without a thread
            }
        }
    }

    private void loop(Thread me) {
        long idleSince = 0;
        for (;;) {
            long sleepUntilTick;
            try {
                wakeTick = 0; // awake: schedules need not unpark
                long now = clock.getAsLong();
                long currentTick = (now - origin) / tickNanos;
                fire(advanceAll(currentTick));
                long earliest = earliestWork();
                if (earliest == Long.MAX_VALUE) {
                    if (idleSince == 0) {
                        idleSince = now | 1;
                    } else if (now - idleSince >= LINGER_NANOS && !Callbacks.INSTANCE.hasBacklog()) {
                        synchronized (this) {
                            thread = null;
                        }
                        if (earliestWork() == Long.MAX_VALUE) {
                            return; // a schedule from now on starts a new thread
                        }
                        synchronized (this) { // something came in meanwhile: carry on if nobody took over
                            if (thread != null) {
                                return;
                            }
                            thread = me;
                        }
                        continue;
                    }
                    earliest = currentTick + LINGER_NANOS / tickNanos;
                } else {
                    idleSince = 0;
                }
                if (Callbacks.INSTANCE.hasBacklog()) {
                    Callbacks.INSTANCE.watch(); // user callbacks wait: check on them every tick
                    earliest = Math.min(earliest, currentTick + 1);
                }
                wakeTick = earliest;
                // a schedule that linked its entry before we published wakeTick is seen here
                sleepUntilTick = Math.min(earliest, earliestWork());
                if (sleepUntilTick < earliest) {
                    wakeTick = sleepUntilTick;
                }
            } catch (Throwable t) {
                // e.g. an OutOfMemoryError while tripping: keep the timer, try again next tick
                AbstractBreaker.reportQuietly(t, "advancing the timer");
                wakeTick = 0;
                sleepUntilTick = 0;
            }
            LockSupport.parkNanos(this, Math.max(1, nanosUntil(sleepUntilTick)));
        }
    }

    /** How long to park until {@code tick}; one tick if that cannot be known (a failing clock). */
    private long nanosUntil(long tick) {
        if (tick == 0) {
            return tickNanos;
        }
        try {
            long wakeAt = origin + Math.min(tick, Long.MAX_VALUE / 2 / tickNanos) * tickNanos;
            return wakeAt - clock.getAsLong();
        } catch (Throwable t) {
            return tickNanos; // never guess a long sleep from a clock that failed
        }
    }

    /** Trips the due breakers outside every lock; a failure of one never stops the others. */
    private static int fire(TimedBreaker expired) {
        if (expired == null) {
            return 0;
        }
        int n = 0;
        Callbacks.INSTANCE.hold(); // the tick's user actions wake a callback thread once, after the loop
        try {
            while (expired != null) {
                TimedBreaker next = expired.wheelNext;
                expired.wheelNext = null;
                n++;
                try {
                    expired.fire();
                } catch (Throwable t) {
                    AbstractBreaker.reportQuietly(t, "tripping a timed breaker");
                }
                expired = next;
            }
        } finally {
            Callbacks.INSTANCE.release();
        }
        return n;
    }

    /** 64 bytes before a stripe's fields, so that no other stripe's writes share their cache line. */
    abstract static class StripePadBefore {
        long p01, p02, p03, p04, p05, p06, p07, p08;
    }

    /** The fields of a {@link Stripe}, between two paddings. */
    abstract static class StripeFields extends StripePadBefore {
        final int shift;
        final int mask;
        /** levels[k] is null until an entry first goes to level k. */
        final TimedBreaker[][] levels;
        /** Entries of level k at {@code counts[COUNTS_PAD + k]}; padded on both sides like the stripe. */
        final int[] counts;
        /** Every tick up to and including this one has been processed. */
        long processedTick;
        int pending;
        /** Entries moved down a level, ever: a test hook (no rescans). */
        long moves;

        StripeFields(int shift) {
            this.shift = shift;
            this.mask = (1 << shift) - 1;
            int levelCount = (63 + shift - 1) / shift;
            this.levels = new TimedBreaker[levelCount][];
            this.counts = new int[levelCount + 2 * COUNTS_PAD];
        }
    }

    /** 16 ints: 64 bytes on each side of a stripe's level counts. */
    static final int COUNTS_PAD = 16;

    /**
     * One complete wheel (see the class comment) with its own lock, padded so that threads
     * working on different stripes never write to one cache line. Thread safety: every field
     * is guarded by the stripe.
     */
    static final class Stripe extends StripeFields {
        long q01, q02, q03, q04, q05, q06, q07, q08;

        Stripe(int shift) {
            super(shift);
        }

        /** The level an entry due at {@code tick} belongs to while {@code cur} is the next tick. */
        private int levelOf(long tick, long cur) {
            long diff = (tick >>> shift) ^ (cur >>> shift);
            return diff == 0 ? 0 : 1 + (63 - Long.numberOfLeadingZeros(diff)) / shift;
        }

        private int bucketOf(long tick, int level) {
            return (int) ((tick >>> (level * shift)) & mask);
        }

        /** Links an entry (tick set, unlinked) into the level its tick belongs to. */
        void place(TimedBreaker e) {
            int level = levelOf(e.tick, processedTick + 1);
            TimedBreaker[] buckets = levels[level];
            if (buckets == null) {
                buckets = levels[level] = new TimedBreaker[mask + 1];
            }
            int i = bucketOf(e.tick, level);
            TimedBreaker head = buckets[i];
            e.wheelPrev = null;
            e.wheelNext = head;
            if (head != null) {
                head.wheelPrev = e;
            }
            buckets[i] = e;
            counts[COUNTS_PAD + level]++;
        }

        /** Unlinks a linked entry from its bucket; leaves its tick alone. */
        void unlink(TimedBreaker e) {
            int level = levelOf(e.tick, processedTick + 1);
            if (e.wheelPrev != null) {
                e.wheelPrev.wheelNext = e.wheelNext;
            } else {
                levels[level][bucketOf(e.tick, level)] = e.wheelNext;
            }
            if (e.wheelNext != null) {
                e.wheelNext.wheelPrev = e.wheelPrev;
            }
            counts[COUNTS_PAD + level]--;
            e.wheelPrev = null;
            e.wheelNext = null;
        }

        /** Where this stripe needs the thread next: a due level-0 bucket or a level boundary. */
        long nextWakeTick() {
            if (pending == 0) {
                return Long.MAX_VALUE;
            }
            if (counts[COUNTS_PAD + 0] > 0) { // the next busy level-0 bucket: at most one slot's scan
                TimedBreaker[] level0 = levels[0];
                for (long t = processedTick + 1; ; t++) {
                    if (level0[(int) (t & mask)] != null) {
                        return t;
                    }
                    if ((t & mask) == mask) {
                        return t + 1; // not reached: level 0 holds only the current slot
                    }
                }
            }
            for (int k = 1; k < levels.length; k++) {
                if (counts[COUNTS_PAD + k] > 0) {
                    return nextBoundary(processedTick + 1, k);
                }
            }
            return processedTick + 1; // not reached while pending > 0
        }

        /** The first tick after {@code cur} whose low {@code level*shift} bits are zero. */
        private long nextBoundary(long cur, int level) {
            int bits = level * shift;
            if (bits >= 63) {
                return Long.MAX_VALUE;
            }
            long next = ((cur >>> bits) + 1) << bits;
            return next <= 0 ? Long.MAX_VALUE : next;
        }

        /**
         * Processes every tick up to {@code upTo}: moves buckets down at each level's boundary
         * and unlinks the due level-0 entries onto {@code expired}; skips ahead over ticks where
         * no level has anything to do.
         */
        TimedBreaker advance(long upTo, TimedBreaker expired) {
            // invariant, outside this method too: every cascade for cur = processedTick + 1 is done,
            // so an entry's level is levelOf(tick, processedTick + 1) for place() and unlink() alike
            while (processedTick < upTo) {
                long cur = processedTick + 1;
                if (counts[COUNTS_PAD + 0] == 0) {
                    long skipTo = upTo;
                    for (int k = 1; k < levels.length; k++) {
                        if (counts[COUNTS_PAD + k] > 0) {
                            skipTo = Math.min(upTo, nextBoundary(cur, k) - 1);
                            break;
                        }
                    }
                    processedTick = Math.max(cur, skipTo); // nothing is due before skipTo + 1
                } else {
                    TimedBreaker[] level0 = levels[0];
                    int i = (int) (cur & mask);
                    TimedBreaker e = level0[i];
                    level0[i] = null;
                    while (e != null) { // a level-0 bucket holds only entries due at its tick
                        TimedBreaker next = e.wheelNext;
                        e.wheelPrev = null;
                        e.tick = -1;
                        pending--;
                        counts[COUNTS_PAD + 0]--;
                        e.wheelNext = expired;
                        expired = e;
                        e = next;
                    }
                    processedTick = cur;
                }
                long next = processedTick + 1;
                if ((next & mask) == 0) {
                    cascade(next); // at once, not when next is processed: see the invariant
                }
            }
            return expired;
        }

        /**
         * {@code cur} (not yet processed) starts a new bucket at one or more levels: from the
         * highest such level down, the entries of the bucket that {@code cur} enters move down.
         */
        private void cascade(long cur) {
            int top = 1;
            while (top + 1 < levels.length && (cur & ((1L << ((top + 1) * shift)) - 1)) == 0) {
                top++;
            }
            for (int k = top; k >= 1; k--) {
                TimedBreaker[] buckets = levels[k];
                if (buckets == null || counts[COUNTS_PAD + k] == 0) {
                    continue;
                }
                int i = bucketOf(cur, k);
                TimedBreaker e = buckets[i];
                buckets[i] = null;
                while (e != null) {
                    TimedBreaker next = e.wheelNext;
                    counts[COUNTS_PAD + k]--;
                    moves++;
                    place(e);
                    e = next;
                }
            }
        }
    }
}
