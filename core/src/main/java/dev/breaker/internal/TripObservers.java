package dev.breaker.internal;

import dev.breaker.BreakReason;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Observers of every trip of every breaker of the library in this class loader (a close of a
 * live breaker included, kind {@link BreakReason.Kind#CLOSED}), for integrations that count
 * trips (the OpenTelemetry module's {@code breaker.trips}). Not API: integrations of this
 * project only.
 *
 * <p>An observer is given the trip's {@link BreakReason}, never the breaker, so it can neither
 * trip nor close a breaker it did not create. It is called on the thread that tripped the
 * breaker, after the trip's compare-and-set and before the breaker releases its resources or
 * runs its actions; it must be quick and must not block. What it throws is logged and ignored.
 *
 * <p>Cost: with no observer, a trip pays one read of the static volatile {@link #observers}
 * (null) and nothing else; with observers, one loop over an array.
 *
 * <p>Thread safety: {@link #add} and its undo are serialised on the class; the array in
 * {@link #observers} is never modified once published (copy on write), so a trip reads it
 * without a lock. An observer removed while a trip is reading the old array may be called once
 * more by that trip.
 */
public final class TripObservers {
    /** The observers, or null when there are none (so the trip path tests one reference). */
    private static volatile Consumer<BreakReason>[] observers;

    private TripObservers() {
    }

    /**
     * Adds an observer of every trip from now on.
     *
     * @param observer told of each trip; the same observer may be added more than once, each
     *                 registration undone by its own undo
     * @return the undo: removes this registration; idempotent, safe from any thread
     * @throws NullPointerException if {@code observer} is null
     */
    public static Runnable add(Consumer<BreakReason> observer) {
        Objects.requireNonNull(observer, "observer");
        // one distinct object per registration, so that the undo removes exactly this one
        Consumer<BreakReason> registration = observer::accept;
        synchronized (TripObservers.class) {
            Consumer<BreakReason>[] old = observers;
            Consumer<BreakReason>[] now = old == null ? newArray(1) : Arrays.copyOf(old, old.length + 1);
            now[now.length - 1] = registration;
            observers = now;
        }
        return () -> remove(registration);
    }

    /**
     * How many registrations are in place; for tests that check every registration was undone.
     *
     * @return zero when nobody observes trips
     */
    public static int count() {
        Consumer<BreakReason>[] o = observers;
        return o == null ? 0 : o.length;
    }

    private static void remove(Consumer<BreakReason> registration) {
        synchronized (TripObservers.class) {
            Consumer<BreakReason>[] old = observers;
            if (old == null) {
                return;
            }
            int i = 0;
            while (i < old.length && old[i] != registration) {
                i++;
            }
            if (i == old.length) {
                return; // undone before
            }
            if (old.length == 1) {
                observers = null;
                return;
            }
            Consumer<BreakReason>[] now = newArray(old.length - 1);
            System.arraycopy(old, 0, now, 0, i);
            System.arraycopy(old, i + 1, now, i, old.length - i - 1);
            observers = now;
        }
    }

    /** Called by {@link AbstractBreaker#trip} after its compare-and-set; never throws. */
    static void tripped(BreakReason why) {
        Consumer<BreakReason>[] o = observers;
        if (o != null) {
            notify(o, why);
        }
    }

    private static void notify(Consumer<BreakReason>[] o, BreakReason why) {
        for (Consumer<BreakReason> c : o) {
            try {
                c.accept(why);
            } catch (Throwable t) { // Errors included: the tripping thread must go on
                AbstractBreaker.reportQuietly(t, "telling a trip observer of a trip");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Consumer<BreakReason>[] newArray(int n) {
        return (Consumer<BreakReason>[]) new Consumer<?>[n];
    }
}
