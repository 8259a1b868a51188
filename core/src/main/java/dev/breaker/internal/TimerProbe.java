package dev.breaker.internal;

import dev.breaker.Breaker;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A threadless {@link TimerWheel} on a fake clock, for the jcstress race tests of the timer
 * (module {@code jcstress}); not API. The caller plays the timer thread through {@link #runDue()}
 * and {@link #publishWakeTick(long)} from one thread at a time, as the real thread does.
 */
public final class TimerProbe {
    private final AtomicLong clock = new AtomicLong();
    private final TimerWheel wheel;

    /** @param stripes a power of two */
    public TimerProbe(int stripes) {
        wheel = new TimerWheel(clock::get, TimerWheel.SHIFT, TimerWheel.TICK_NANOS, stripes, false);
    }

    /** Sets the fake clock to {@code millis} after the wheel's origin. */
    public void setMillis(long millis) {
        clock.set(millis * TimerWheel.TICK_NANOS);
    }

    /** A timeout of {@code millis} from the fake clock's now, on stripe {@code stripe}. */
    public Breaker arm(long millis, int stripe) {
        Entry e = new Entry(wheel, Duration.ofMillis(millis), stripe);
        e.start(millis * TimerWheel.TICK_NANOS);
        return e;
    }

    /** One wake-up of the timer at the fake clock's now; returns how many breakers were due. */
    public int runDue() {
        return wheel.runDue();
    }

    /** The timer's half of the wake handshake: whether it may park until {@code tick}. */
    public boolean publishWakeTick(long tick) {
        return wheel.publishWakeTick(tick);
    }

    /** An announcer's half: whether the parked thread must be woken for {@code tick}. */
    public boolean markAnnounced(int stripe, long tick) {
        return wheel.markAnnounced(stripe, tick);
    }

    /** Entries waiting in the wheel. */
    public int pending() {
        return wheel.pendingCount();
    }

    private static final class Entry extends TimedBreaker {
        private final TimerWheel wheel;

        Entry(TimerWheel wheel, Duration timeout, int stripe) {
            super(timeout, stripe);
            this.wheel = wheel;
        }

        @Override
        TimerWheel wheel() {
            return wheel;
        }
    }
}
