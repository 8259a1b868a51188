package dev.breaker.internal;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;

import java.time.Duration;
import java.time.Instant;

/**
 * A breaker that trips at a point of the monotonic clock, and is itself its entry in the shared
 * {@link TimerWheel}: {@code byTimeout}, {@code byDeadline} and {@code withTimeout} children.
 *
 * <p>Thread safety: the wheel fields are guarded by the wheel's lock; everything else is final
 * or inherited. Tripping (by the timer, by {@code close()} or by the parent) unlinks the entry
 * and drops the parent registration, so nothing of it stays reachable from shared structures.
 */
class TimedBreaker extends AbstractBreaker {
    /** Guarded by the wheel's stripe: the tick it waits for, or -1 when not in the wheel. */
    long tick = -1;
    /** Picks the wheel's stripe: the creating thread's id, fixed for life. */
    final int stripeHint;
    TimedBreaker wheelPrev;
    TimedBreaker wheelNext;

    /** A {@link Duration} (timeout), an {@link Instant} (deadline) or the {@link BreakReason} itself. */
    private final Object cause;
    private volatile Registration parentRegistration;

    TimedBreaker(Object cause) {
        this(cause, (int) Thread.currentThread().getId());
    }

    /** A breaker on the stripe {@code stripeHint} picks (tests place entries on chosen stripes). */
    TimedBreaker(Object cause, int stripeHint) {
        this.cause = cause;
        this.stripeHint = stripeHint;
    }

    /** The wheel this breaker waits in; tests override it. */
    TimerWheel wheel() {
        return TimerWheel.INSTANCE;
    }

    static Breaker timeout(Duration timeout) {
        Durations.requireNotNegative(timeout, "timeout");
        TimedBreaker b = new TimedBreaker(timeout);
        b.start(Durations.toNanosSaturated(timeout));
        return b;
    }

    static Breaker deadline(Instant deadline) {
        if (deadline == null) {
            throw new NullPointerException("deadline must not be null");
        }
        TimedBreaker b = new TimedBreaker(deadline);
        Duration left;
        try {
            left = Duration.between(Instant.now(), deadline);
        } catch (ArithmeticException farAway) {
            left = deadline.isBefore(Instant.EPOCH) ? Duration.ZERO : Duration.ofSeconds(Long.MAX_VALUE);
        }
        b.start(left.isNegative() ? 0 : Durations.toNanosSaturated(left));
        return b;
    }

    static Breaker child(AbstractBreaker parent, Duration timeout) {
        return child(parent, timeout, timeout);
    }

    /** A child that trips with {@code reason} after {@code timeout}, or with its parent. */
    static Breaker child(AbstractBreaker parent, Duration timeout, BreakReason reason) {
        return child(parent, timeout, (Object) reason);
    }

    private static Breaker child(AbstractBreaker parent, Duration timeout, Object cause) {
        Durations.requireNotNegative(timeout, "timeout");
        TimedBreaker b = new TimedBreaker(cause);
        Listener r = parent.linkInternal(new ParentLink(parent, b));
        if (!r.wasLinked()) {
            b.trip(BreakReason.parent(parent.reasonOrNull()));
            return b;
        }
        b.parentRegistration = r;
        if (b.isBroken()) {
            r.cancel(); // tripped before the field was set: release() could not see it
            return b;
        }
        b.start(Durations.toNanosSaturated(timeout));
        return b;
    }

    final void start(long nanos) {
        if (nanos == 0) {
            fire();
            return;
        }
        TimerWheel wheel = wheel();
        long now = wheel.now();
        long deadline = now + Math.min(nanos, Durations.MAX_NANOS); // saturates at the library's cap, ~100 years
        wheel.schedule(this, deadline, now);
        if (isBroken()) {
            wheel.cancel(this); // tripped by the parent while scheduling
        }
    }

    void fire() {
        trip(cause instanceof Duration ? BreakReason.timeout((Duration) cause)
                : cause instanceof BreakReason ? (BreakReason) cause
                : BreakReason.deadline((Instant) cause));
    }

    /** Its own timer entry's time left, or the parent's if earlier (a {@code withTimeout} child). */
    @Override
    long remainingNanos() {
        if (isBroken()) {
            return 0;
        }
        long own = wheel().remainingNanos(this);
        Registration r = parentRegistration;
        if (r instanceof Listener) {
            own = earlier(own, ((Listener) r).owner.remainingNanos());
        }
        return isBroken() ? 0 : own;
    }

    @Override
    protected void release() {
        wheel().cancel(this);
        Registration r = parentRegistration;
        if (r != null) {
            parentRegistration = null;
            cancelQuietly(r);
        }
    }

    /** The child's registration on its parent: trips the child with the parent's reason. */
    private static final class ParentLink implements InternalAction {
        private final AbstractBreaker parent;
        private final TimedBreaker child;

        ParentLink(AbstractBreaker parent, TimedBreaker child) {
            this.parent = parent;
            this.child = child;
        }

        @Override
        public void run() {
            child.trip(BreakReason.parent(parent.reasonOrNull()));
        }
    }
}
