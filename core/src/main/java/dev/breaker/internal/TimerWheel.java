package dev.breaker.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
 * <h2>Finding the next work in O(1) (issue 27)</h2>
 * Each level of a stripe keeps an occupancy bitmap (one bit per bucket, one summary bit per
 * 64-bucket word, one bit per non-empty level), so the stripe's next <em>event</em> (its next
 * busy level-0 bucket, or else the start of the next busy bucket of its lowest non-empty level,
 * where that bucket must move down) is found with three {@code numberOfTrailingZeros} and two
 * word reads, whatever the distance; advancing a stripe jumps from event to event.
 *
 * <p>Over the stripes, the timer thread keeps an {@link Agenda}: a wheel of the same kind,
 * confined to the timer thread, whose entries are one mark per stripe, due at the tick that
 * stripe last <em>published</em> ({@code Stripe.published}: a lower bound of its next event,
 * {@code Long.MAX_VALUE} only while the stripe is empty). A wake-up therefore visits only the
 * stripes whose mark is due and the stripes that announced an earlier tick since the last
 * wake-up; the thread's next wake tick is the agenda's next event. Why this design rather than
 * a scan of per-stripe volatile ticks or a shared min-heap of stripes: the wake-up's work must
 * not grow with the stripe count (a scan does; a heap costs O(log stripes) per visit), and
 * schedules must stay as cheap as before (a structure shared by schedules would put them on one
 * lock or CAS; the agenda is the timer's alone). Here a schedule touches shared state only
 * when it makes its stripe's event earlier than published (an <em>announcement</em>: typically
 * the first entry of a stripe after the timer last visited it): it then lowers
 * {@code published} under the stripe's lock, sets the stripe's bit in {@link #dirty} and the
 * word's bit in {@link #dirtyWords} (two atomic ORs), and reads {@link #wakeTick}. A cancel does
 * not tell the timer: the mark it leaves is early, never late, so the timer at worst visits a
 * stripe with nothing to do. Only the first cancel that empties a stripe after a sweep sets
 * {@link #stripeEmptied} and wakes the timer; when nothing is due within {@link #LINGER_NANOS},
 * the timer then sweeps (one pass over the stripes, at most once per linger period) and drops
 * the marks of empty stripes, so that an emptied wheel still lets the thread exit.
 *
 * <p>Cost per wake-up: O(1 + stripes visited), a visited stripe costing O(1 + entries fired +
 * entries moved down); each entry causes at most one visit per level it moves through.
 * {@link #work()} counts stripes and slots inspected, and {@code TimerWakeCostTest} bounds them.
 *
 * <h2>Stripes</h2>
 * The wheel is cut into {@link Stripe}s (a power of two, up to {@link #MAX_STRIPES}; the
 * processors times four rounded down to a power of two in production), each a complete wheel
 * with its own lock; a breaker goes to the stripe of the thread that created it and stays there,
 * so request threads creating and closing breakers at once do not queue on one lock.
 *
 * <h2>The thread</h2>
 * The thread starts with the first entry and builds its agenda from every stripe. It wakes only
 * when a mark is due; while the wheel is empty it sleeps for {@link #LINGER_NANOS} and then exits
 * (the next schedule starts a new one). A schedule wakes the sleeping thread only if it announced
 * a tick before the one the thread would wake at on its own ({@link #wakeTick}, volatile), so the
 * common create-then-close of a request breaker never signals it. The thread publishes its wake
 * tick and then reads {@link #dirtyWords} once more (looping instead of sleeping if it is not
 * zero), and an announcement sets its dirty bits and then reads the wake tick, so one of the two
 * always sees the other. A breaker fires at most one tick (plus scheduling jitter) after its
 * deadline, never before.
 *
 * <p>The thread trips due breakers and runs only the library's own short actions (a multiplex
 * link, a child's link); every user action and every dependent of {@code done()} goes to
 * {@link Callbacks}, so a blocking or throwing user action delays no other breaker. The thread
 * survives anything thrown on it; if it dies nonetheless, it starts its successor, which builds
 * a new agenda from the stripes.
 *
 * <p>Thread safety: a stripe's fields (its {@code published} tick included) are guarded by the
 * stripe; the agenda is confined to the timer thread (or to the test calling {@link #runDue()}
 * on a threadless wheel); {@link #dirty} and {@link #dirtyWords} are set by any thread and
 * cleared only by the timer thread; {@link #thread} is written under {@code this} and read
 * anywhere (volatile); {@link #wakeTick} is written by the timer thread (volatile);
 * {@link #stripeEmptied} is set by cancels and cleared by the timer thread (volatile). {@link
 * #schedule} and {@link #cancel} may be called from any thread. Breakers trip outside every lock.
 *
 * <p>For tests the wheel can be built with another clock, geometry, stripe count and no thread
 * ({@link #TimerWheel(LongSupplier, int, long, int, boolean)}, then {@link #runDue()} or
 * {@link #wake()}).
 */
public final class TimerWheel {
    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    static final int SHIFT = 12;
    static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** 64 words of dirty bits and one summary word. */
    static final int MAX_STRIPES = 64 * 64;

    static final TimerWheel INSTANCE = new TimerWheel(System::nanoTime, SHIFT, TICK_NANOS,
            Math.min(MAX_STRIPES, Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors()) * 4 - 1)), true);

    private final LongSupplier clock;
    private final long tickNanos;
    private final int shift;
    private final boolean threaded;
    private final long origin;
    private final Stripe[] stripes;
    private final int stripeMask;
    /** Bit {@code i % 64} of word {@code i / 64}: stripe {@code i} announced an earlier tick. */
    private final long[] dirty;
    /** Bit {@code w}: word {@code w} of {@link #dirty} may be non-zero. */
    private volatile long dirtyWords;
    private static final VarHandle DIRTY = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle DIRTY_WORDS;

    static {
        try {
            DIRTY_WORDS = MethodHandles.lookup().findVarHandle(TimerWheel.class, "dirtyWords", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    /** The timer thread, or null. Written under {@code this}. */
    private volatile Thread thread;
    /** The tick at which the parked timer thread wakes on its own; 0 while it runs. */
    private volatile long wakeTick;
    /**
     * A cancel emptied a stripe since the timer's last sweep: its mark may be stale. Set (with
     * one unpark) by the first such cancel only, cleared by the sweep.
     */
    private volatile boolean stripeEmptied;
    /** The agenda of a threadless wheel (tests); null when threaded. */
    private final Agenda testAgenda;
    /** Stripes locked by the timer, ever: a test hook (threadless wheels only). */
    private long visits;

    TimerWheel(LongSupplier clock, int shift, long tickNanos, boolean threaded) {
        this(clock, shift, tickNanos, 1, threaded);
    }

    /**
     * @param clock     nanoseconds, monotonic ({@link System#nanoTime()} in production)
     * @param shift     log2 of the buckets per level (1..12)
     * @param tickNanos the tick, in nanoseconds of {@code clock}
     * @param stripes   a power of two, at most {@link #MAX_STRIPES}
     * @param threaded  false: no thread is started; the test calls {@link #runDue()}
     */
    TimerWheel(LongSupplier clock, int shift, long tickNanos, int stripes, boolean threaded) {
        if (shift < 1 || shift > 12 || tickNanos <= 0 || Integer.bitCount(stripes) != 1 || stripes > MAX_STRIPES) {
            throw new IllegalArgumentException("shift " + shift + ", tick " + tickNanos + ", stripes " + stripes);
        }
        this.clock = clock;
        this.tickNanos = tickNanos;
        this.shift = shift;
        this.threaded = threaded;
        this.origin = clock.getAsLong();
        this.stripes = new Stripe[stripes];
        for (int i = 0; i < stripes; i++) {
            this.stripes[i] = new Stripe(shift, i);
        }
        this.stripeMask = stripes - 1;
        this.dirty = new long[(stripes + 63) >>> 6];
        this.testAgenda = threaded ? null : new Agenda(shift, stripes);
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

    /**
     * Test hook (threadless wheels): stripes locked by the timer's side plus slots (buckets and
     * bitmap words) it read, in the stripes and in the agenda, ever.
     */
    long work() {
        return visits + sum(s -> s.reads) + (testAgenda == null ? 0 : testAgenda.wheel.reads);
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

    /**
     * Links {@code entry} to fire at {@code deadlineNanos} (this wheel's clock), the clock already
     * read at {@code nowNanos} (saves reading it twice).
     */
    void schedule(TimedBreaker entry, long deadlineNanos, long nowNanos) {
        long offset = deadlineNanos - origin;
        long tick = offset <= 0 ? 0 : (offset - 1) / tickNanos + 1; // round up: never early
        Stripe s = stripes[entry.stripeHint & stripeMask];
        long announced;
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
            long event = s.place(entry);
            s.pending++;
            if (event < s.published) {
                s.published = announced = event;
            } else {
                announced = Long.MAX_VALUE; // the timer visits this stripe by s.published <= event anyway
            }
        }
        if (announced != Long.MAX_VALUE) {
            announce(s.index, announced);
        } else if (threaded && thread == null) {
            startThread();
        }
    }

    /**
     * Tells the timer that stripe {@code index} published the earlier tick {@code tick}: dirty
     * bits first, then the wake tick (see the class comment for why this order).
     */
    private void announce(int index, long tick) {
        boolean wake = markAnnounced(index, tick);
        if (!threaded) {
            return;
        }
        Thread t = thread;
        if (t == null) {
            startThread();
        } else if (wake) {
            LockSupport.unpark(t); // only when it would otherwise sleep past this stripe's tick
            if (t.getState() == Thread.State.TERMINATED) {
                replace(t); // died without clearing the field (its last act failed too)
            }
        }
    }

    /**
     * The announcer's half of the handshake with {@link #publishWakeTick}: sets the dirty bits,
     * then reads the wake tick.
     *
     * @return whether the parked thread must be woken for {@code tick}
     */
    boolean markAnnounced(int index, long tick) {
        DIRTY.getAndBitwiseOr(dirty, index >>> 6, 1L << index);
        DIRTY_WORDS.getAndBitwiseOr(this, 1L << (index >>> 6));
        return tick < wakeTick;
    }

    /**
     * The timer's half of the handshake with {@link #markAnnounced}: publishes the tick it is
     * going to sleep until, then looks for announcements once more.
     *
     * @return whether it may park (false: an announcement came in; take it first)
     */
    boolean publishWakeTick(long tick) {
        wakeTick = tick;
        return dirtyWords == 0;
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

    /**
     * Unlinks {@code entry} if it is still waiting. Touches nothing but the entry's stripe, except
     * the first cancel that empties a stripe after a sweep: it sets {@link #stripeEmptied} and
     * wakes the timer once, so that a mark left far away cannot keep the thread from exiting.
     */
    void cancel(TimedBreaker entry) {
        Stripe s = stripes[entry.stripeHint & stripeMask];
        boolean emptied = false;
        synchronized (s) {
            if (entry.tick >= 0) {
                s.unlink(entry);
                entry.tick = -1;
                emptied = --s.pending == 0;
            }
        }
        if (emptied && !stripeEmptied) {
            stripeEmptied = true;
            Thread t = thread;
            if (t != null) {
                LockSupport.unpark(t);
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
     * Without a thread (tests): one wake-up at the clock's now; trips the due breakers on the
     * calling thread.
     *
     * @return how many breakers were due
     */
    int runDue() {
        return wakeUp(testAgenda, currentTick());
    }

    /**
     * Without a thread (tests): one wake-up at the clock's now, as the thread does it.
     *
     * @return the tick the thread would sleep until, Long.MAX_VALUE for "nothing scheduled"
     */
    long wake() {
        wakeUp(testAgenda, currentTick());
        return testAgenda.wheel.nextEvent();
    }

    /**
     * One wake-up: takes the announcements, visits the stripes whose mark is due or that
     * announced a tick already reached, and trips what is due. Timer thread (or test) only.
     *
     * @return how many breakers were due
     */
    private int wakeUp(Agenda agenda, long currentTick) {
        StripeMark visit = takeAnnouncements(agenda, currentTick, null);
        if (currentTick > agenda.wheel.processedTick) {
            visit = (StripeMark) agenda.wheel.advance(currentTick, visit);
        }
        TimedBreaker expired = null;
        while (visit != null) {
            StripeMark next = (StripeMark) visit.wheelNext;
            visit.wheelNext = null;
            expired = visitStripe(agenda, visit, currentTick, expired);
            visit = next;
        }
        return fire(expired);
    }

    /**
     * Moves the mark of every stripe that announced since the last call to the tick it
     * published; chains the marks whose tick is already reached onto {@code visit}.
     */
    private StripeMark takeAnnouncements(Agenda agenda, long currentTick, StripeMark visit) {
        long words = (long) DIRTY_WORDS.getAndSet(this, 0L);
        while (words != 0) {
            int w = Long.numberOfTrailingZeros(words);
            words &= words - 1;
            long bits = (long) DIRTY.getAndSet(dirty, w, 0L);
            while (bits != 0) {
                int i = (w << 6) | Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                Stripe s = stripes[i];
                long published;
                visits++;
                synchronized (s) {
                    published = s.published;
                }
                StripeMark m = agenda.marks[i];
                if (m.inVisit) {
                    continue; // already chained for a visit in this wake-up
                }
                agenda.remove(m);
                if (published == Long.MAX_VALUE) {
                    continue;
                }
                if (published <= Math.max(currentTick, agenda.wheel.processedTick)) {
                    m.inVisit = true;
                    m.wheelNext = visit;
                    visit = m;
                } else {
                    agenda.put(m, published);
                }
            }
        }
        return visit;
    }

    /**
     * Advances one stripe to {@code currentTick}, publishes its next event and puts its mark
     * there; collects the due entries onto {@code expired}.
     */
    private TimedBreaker visitStripe(Agenda agenda, StripeMark m, long currentTick, TimedBreaker expired) {
        m.inVisit = false;
        Stripe s = stripes[m.stripe];
        long next;
        visits++;
        synchronized (s) {
            if (s.pending == 0) {
                s.processedTick = Math.max(s.processedTick, currentTick);
                next = Long.MAX_VALUE;
            } else {
                if (currentTick > s.processedTick) {
                    expired = s.advance(currentTick, expired);
                }
                next = s.pending == 0 ? Long.MAX_VALUE : s.nextEvent();
            }
            s.published = next;
        }
        agenda.remove(m);
        if (next != Long.MAX_VALUE) {
            agenda.put(m, next);
        }
        return expired;
    }

    /**
     * The timer thread's start: takes every announcement made so far and puts every stripe's
     * mark at its next event (one pass over the stripes, once per thread).
     */
    private Agenda buildAgenda(long currentTick) {
        Agenda agenda = new Agenda(shift, stripes.length);
        dirtyWords = 0;
        for (int w = 0; w < dirty.length; w++) {
            DIRTY.setVolatile(dirty, w, 0L);
        }
        long before = Math.max(0, currentTick - 1);
        agenda.wheel.processedTick = before;
        TimedBreaker expired = null;
        for (StripeMark m : agenda.marks) {
            expired = visitStripe(agenda, m, before, expired);
        }
        fire(expired);
        return agenda;
    }

    /**
     * While the timer is quiet: clears the published tick and the mark of every stripe that
     * cancels emptied (one pass over the stripes).
     *
     * @return the agenda's next event after the sweep
     */
    private long sweepEmptied(Agenda agenda) {
        for (StripeMark m : agenda.marks) {
            Stripe s = stripes[m.stripe];
            boolean empty;
            synchronized (s) {
                empty = s.pending == 0;
                if (empty) {
                    s.published = Long.MAX_VALUE;
                }
            }
            if (empty && !m.inVisit) {
                agenda.remove(m);
            }
        }
        return agenda.wheel.nextEvent();
    }

    /** Whether any stripe holds an entry (one pass over the stripes; the thread's exit only). */
    private boolean anyPending() {
        return pendingCount() > 0;
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
            if (replace && anyPending()) {
                startThread(); // died with work to do: never leave entries without a thread
            }
        }
    }

    private void loop(Thread me) {
        long lingerTicks = Math.max(1, LINGER_NANOS / tickNanos);
        Agenda agenda = null;
        long idleSince = 0;
        long lastSweep = clock.getAsLong();
        for (;;) {
            long sleepUntilTick;
            try {
                wakeTick = 0; // awake: schedules need not unpark
                long now = clock.getAsLong();
                long currentTick = (now - origin) / tickNanos;
                if (agenda == null) {
                    agenda = buildAgenda(currentTick); // once; if it fails, the next turn tries again
                }
                wakeUp(agenda, currentTick);
                long earliest = agenda.wheel.nextEvent();
                if (earliest - currentTick > lingerTicks && stripeEmptied) {
                    // nothing near, and a cancel emptied a stripe: drop the marks of emptied stripes
                    if (now - lastSweep >= LINGER_NANOS) {
                        stripeEmptied = false;
                        lastSweep = now;
                        earliest = sweepEmptied(agenda);
                    } else {
                        earliest = Math.min(earliest, currentTick + lingerTicks); // back for the sweep
                    }
                }
                if (earliest == Long.MAX_VALUE) {
                    if (idleSince == 0) {
                        idleSince = now | 1;
                    } else if (now - idleSince >= LINGER_NANOS && !Callbacks.INSTANCE.hasBacklog()) {
                        synchronized (this) {
                            thread = null;
                        }
                        // every stripe is empty or has announced (an empty agenda); an
                        // announcement from now on sees no thread and starts one
                        if (dirtyWords == 0) {
                            return;
                        }
                        synchronized (this) { // something came in meanwhile: carry on if nobody took over
                            if (thread != null) {
                                return;
                            }
                            thread = me;
                        }
                        continue;
                    }
                    earliest = currentTick + lingerTicks;
                } else {
                    idleSince = 0;
                }
                if (Callbacks.INSTANCE.hasBacklog()) {
                    Callbacks.INSTANCE.watch(); // user callbacks wait: check on them every tick
                    earliest = Math.min(earliest, currentTick + 1);
                }
                // an announcement that set its dirty bits before we published wakeTick is seen here
                if (!publishWakeTick(earliest)) {
                    continue;
                }
                sleepUntilTick = earliest;
            } catch (Throwable t) {
                // e.g. an OutOfMemoryError while tripping: keep the timer, try again next tick,
                // with an agenda built again from the stripes (a wake-up cut short may have left
                // marks out of it)
                AbstractBreaker.reportQuietly(t, "advancing the timer");
                agenda = null;
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

    /** 8 longs: 64 bytes on each side of a stripe's bitmap words. */
    static final int PAD = 8;

    /** The fields of a {@link Stripe}, between two paddings. */
    abstract static class StripeFields extends StripePadBefore {
        final int shift;
        final int mask;
        /** This stripe's number in the wheel (-1: an agenda). */
        final int index;
        /** levels[k] is null until an entry first goes to level k. */
        final TimedBreaker[][] levels;
        /**
         * Occupancy of level k: bit {@code b % 64} of {@code bits[k][PAD + b / 64]} is set iff
         * bucket {@code b} is not empty; null with {@code levels[k]}. Padded on both sides.
         */
        final long[][] bits;
        /** Bit {@code w} of {@code summary[PAD + k]}: word {@code w} of level k is not zero. Padded. */
        final long[] summary;
        /** Bit k: level k is not empty. */
        long levelMask;
        /** Every tick up to and including this one has been processed. */
        long processedTick;
        int pending;
        /**
         * The tick the timer visits this stripe by (its mark in the agenda): never after the
         * stripe's next event; Long.MAX_VALUE only while the stripe is empty.
         */
        long published = Long.MAX_VALUE;
        /** Entries moved down a level, ever: a test hook (no rescans). */
        long moves;
        /** Buckets and bitmap words read to advance and to find the next event: a test hook. */
        long reads;

        StripeFields(int shift, int index) {
            this.shift = shift;
            this.mask = (1 << shift) - 1;
            this.index = index;
            int levelCount = (63 + shift - 1) / shift;
            this.levels = new TimedBreaker[levelCount][];
            this.bits = new long[levelCount][];
            this.summary = new long[levelCount + 2 * PAD];
        }
    }

    /**
     * One complete wheel (see the class comment) with its own lock, padded so that threads
     * working on different stripes never write to one cache line. Thread safety: every field
     * is guarded by the stripe (an agenda's wheel: confined to the timer thread).
     */
    static final class Stripe extends StripeFields {
        long q01, q02, q03, q04, q05, q06, q07, q08;

        Stripe(int shift, int index) {
            super(shift, index);
        }

        /** The level an entry due at {@code tick} belongs to while {@code cur} is the next tick. */
        private int levelOf(long tick, long cur) {
            long diff = (tick >>> shift) ^ (cur >>> shift);
            return diff == 0 ? 0 : 1 + (63 - Long.numberOfLeadingZeros(diff)) / shift;
        }

        private int bucketOf(long tick, int level) {
            return (int) ((tick >>> (level * shift)) & mask);
        }

        /**
         * Links an entry (tick set, unlinked) into the level its tick belongs to.
         *
         * @return the tick at which this entry needs the timer first: its own tick at level 0,
         *         else the first tick of its bucket (where the bucket moves down)
         */
        long place(TimedBreaker e) {
            int level = levelOf(e.tick, processedTick + 1);
            TimedBreaker[] buckets = levels[level];
            if (buckets == null) {
                buckets = levels[level] = new TimedBreaker[mask + 1];
                bits[level] = new long[PAD + Math.max(1, (mask + 1) >>> 6) + PAD];
            }
            int i = bucketOf(e.tick, level);
            TimedBreaker head = buckets[i];
            e.wheelPrev = null;
            e.wheelNext = head;
            if (head != null) {
                head.wheelPrev = e;
            } else {
                markBusy(level, i);
            }
            buckets[i] = e;
            int low = level * shift;
            return (e.tick >>> low) << low;
        }

        /** Unlinks a linked entry from its bucket; leaves its tick alone. */
        void unlink(TimedBreaker e) {
            int level = levelOf(e.tick, processedTick + 1);
            if (e.wheelPrev != null) {
                e.wheelPrev.wheelNext = e.wheelNext;
            } else {
                int i = bucketOf(e.tick, level);
                levels[level][i] = e.wheelNext;
                if (e.wheelNext == null) {
                    markIdle(level, i);
                }
            }
            if (e.wheelNext != null) {
                e.wheelNext.wheelPrev = e.wheelPrev;
            }
            e.wheelPrev = null;
            e.wheelNext = null;
        }

        private void markBusy(int level, int bucket) {
            long[] words = bits[level];
            int w = PAD + (bucket >>> 6);
            if (words[w] == 0) {
                summary[PAD + level] |= 1L << (bucket >>> 6);
                levelMask |= 1L << level;
            }
            words[w] |= 1L << bucket;
        }

        private void markIdle(int level, int bucket) {
            long[] words = bits[level];
            int w = PAD + (bucket >>> 6);
            if ((words[w] &= ~(1L << bucket)) == 0
                    && (summary[PAD + level] &= ~(1L << (bucket >>> 6))) == 0) {
                levelMask &= ~(1L << level);
            }
        }

        /** The first busy bucket of {@code level} numbered {@code from} or more, or -1. */
        private int nextBusy(int level, int from) {
            if (from > mask) {
                return -1;
            }
            long[] words = bits[level];
            int w = from >>> 6;
            reads++;
            long word = words[PAD + w] & (-1L << from);
            if (word != 0) {
                return (w << 6) | Long.numberOfTrailingZeros(word);
            }
            long rest = w == 63 ? 0 : summary[PAD + level] & (-1L << (w + 1));
            if (rest == 0) {
                return -1;
            }
            w = Long.numberOfTrailingZeros(rest);
            reads++;
            return (w << 6) | Long.numberOfTrailingZeros(words[PAD + w]);
        }

        /**
         * The first tick, from {@code processedTick + 1} on, at which this stripe has work: its
         * next busy level-0 bucket, else the first tick of the next busy bucket of its lowest
         * non-empty level (where that bucket moves down); Long.MAX_VALUE when empty. O(1).
         */
        long nextEvent() {
            long cur = processedTick + 1;
            long lm = levelMask;
            if (lm == 0) {
                return Long.MAX_VALUE;
            }
            int k = Long.numberOfTrailingZeros(lm);
            int low = k * shift;
            // level 0 entries are due in cur's own bucket or later; level k > 0 entries lie in a
            // later bucket than cur's (its own bucket has moved down when cur entered it)
            int b = nextBusy(k, bucketOf(cur, k) + (k == 0 ? 0 : 1));
            if (b < 0) {
                return cur; // not reached (see above); visiting at once is always safe
            }
            int high = low + shift;
            long prefix = high >= 63 ? 0 : (cur >>> high) << high;
            return prefix | ((long) b << low);
        }

        /**
         * Processes every tick up to {@code upTo}: moves buckets down at each level's boundary
         * and unlinks the due level-0 entries onto {@code expired}; jumps from event to event,
         * so the work is O(1 + entries due + buckets moved down), whatever the distance.
         */
        TimedBreaker advance(long upTo, TimedBreaker expired) {
            // invariant, outside this method too: every cascade for cur = processedTick + 1 is done,
            // so an entry's level is levelOf(tick, processedTick + 1) for place() and unlink() alike
            while (processedTick < upTo) {
                long cur = processedTick + 1;
                long event = nextEvent();
                if (event > upTo) {
                    moveTo(upTo);
                    break;
                }
                if (event > cur) {
                    moveTo(event - 1); // nothing is due before event; cascades into event if owed
                    continue;
                }
                TimedBreaker[] level0 = levels[0];
                int i = (int) (cur & mask);
                reads++;
                TimedBreaker e = level0 == null ? null : level0[i];
                if (e != null) {
                    level0[i] = null;
                    markIdle(0, i);
                }
                while (e != null) { // a level-0 bucket holds only entries due at its tick
                    TimedBreaker next = e.wheelNext;
                    e.wheelPrev = null;
                    e.tick = -1;
                    pending--;
                    e.wheelNext = expired;
                    expired = e;
                    e = next;
                }
                moveTo(cur);
            }
            return expired;
        }

        /** Marks every tick up to {@code tick} processed and does the cascade owed to the next. */
        private void moveTo(long tick) {
            processedTick = tick;
            long next = tick + 1;
            if ((next & mask) == 0) {
                cascade(next); // at once, not when next is processed: see the invariant
            }
        }

        /**
         * {@code cur} (not yet processed) starts a new bucket at one or more levels: from the
         * highest such level down, the entries of the bucket that {@code cur} enters move down.
         */
        private void cascade(long cur) {
            int top = Math.min(levels.length - 1, Long.numberOfTrailingZeros(cur) / shift);
            for (int k = top; k >= 1; k--) {
                if ((levelMask & (1L << k)) == 0) {
                    continue;
                }
                TimedBreaker[] buckets = levels[k];
                int i = bucketOf(cur, k);
                reads++;
                TimedBreaker e = buckets[i];
                if (e == null) {
                    continue;
                }
                buckets[i] = null;
                markIdle(k, i);
                while (e != null) {
                    TimedBreaker next = e.wheelNext;
                    moves++;
                    place(e);
                    e = next;
                }
            }
        }
    }

    /**
     * The timer thread's own wheel of stripes: one {@link StripeMark} per stripe, due at the
     * tick the stripe published. Confined to one timer thread (or to the test of a threadless
     * wheel); a new timer thread builds a new one.
     */
    static final class Agenda {
        final Stripe wheel;
        final StripeMark[] marks;

        Agenda(int shift, int stripes) {
            this.wheel = new Stripe(shift, -1);
            this.marks = new StripeMark[stripes];
            for (int i = 0; i < stripes; i++) {
                marks[i] = new StripeMark(i);
            }
        }

        /** Puts an unlinked mark at {@code tick} (after the agenda's processed tick). */
        void put(StripeMark m, long tick) {
            m.tick = tick;
            wheel.place(m);
            wheel.pending++;
        }

        /** Takes a mark out of the wheel if it is there. */
        void remove(StripeMark m) {
            if (m.tick >= 0) {
                wheel.unlink(m);
                m.tick = -1;
                wheel.pending--;
            }
        }
    }

    /**
     * A stripe's entry in the {@link Agenda}: a wheel entry that is never tripped (the agenda's
     * wheel links {@link TimedBreaker}s; the timer visits the stripe instead of firing it).
     */
    static final class StripeMark extends TimedBreaker {
        final int stripe;
        /** Chained for a visit in the current wake-up. Timer thread only. */
        boolean inVisit;

        StripeMark(int stripe) {
            super(null, stripe);
            this.stripe = stripe;
        }

        @Override
        void fire() {
            throw new IllegalStateException("a stripe mark is never fired");
        }
    }
}
