package dev.breaker.internal;

import java.time.Duration;

/** A timed breaker that waits in a wheel of the test's own (clock, geometry, no thread). */
final class WheelEntry extends TimedBreaker {
    private final TimerWheel wheel;
    final long dueNanos;

    private WheelEntry(TimerWheel wheel, long nanos) {
        super(Duration.ofNanos(nanos));
        this.wheel = wheel;
        this.dueNanos = wheel.now() + nanos;
    }

    private WheelEntry(TimerWheel wheel, long nanos, int stripe) {
        super(Duration.ofNanos(nanos), stripe);
        this.wheel = wheel;
        this.dueNanos = wheel.now() + nanos;
    }

    static WheelEntry after(TimerWheel wheel, long nanos) {
        WheelEntry e = new WheelEntry(wheel, nanos);
        e.start(nanos);
        return e;
    }

    /** An entry on the wheel's stripe {@code stripe} (modulo the stripe count), whatever the thread. */
    static WheelEntry after(TimerWheel wheel, long nanos, int stripe) {
        WheelEntry e = new WheelEntry(wheel, nanos, stripe);
        e.start(nanos);
        return e;
    }

    @Override
    TimerWheel wheel() {
        return wheel;
    }
}
