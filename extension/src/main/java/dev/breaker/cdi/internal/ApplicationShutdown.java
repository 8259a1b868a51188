package dev.breaker.cdi.internal;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;
import dev.breaker.internal.Breakers;
import dev.breaker.internal.ManualBreaker;

import java.lang.System.Logger.Level;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The application-wide shutdown breaker: trips once, with {@code BreakReason.shutdown("application")},
 * when the container begins to shut down. Breakers handed to the application are children of it,
 * so their {@code reason().root()} is that SHUTDOWN reason.
 *
 * <p>Every child registers an action on its parent while it lives, under the parent's lock; with
 * one parent, every request thread of the application would queue on that one lock. So children
 * hang from one of several stripes, picked by thread, which all trip with the root.
 *
 * <p><b>Leaks.</b> A child without a timeout ({@link #child(String)}) is a {@link ShutdownChild},
 * which its stripe refers to weakly: one the application drops without closing is
 * garbage-collected, and the next child made here removes its stripe registration (a
 * {@link ReferenceQueue} poll, one volatile read when nothing was collected). The first such
 * leak is logged as a WARNING ({@code BRKR014}) naming the breaker (and where it was made, with
 * {@link LeakSites}); later ones are counted.
 * A child with a timeout leaves its stripe when the timeout fires, so it needs none of this.
 *
 * <p>Thread-safe.
 */
final class ApplicationShutdown {
    private static final System.Logger LOG = System.getLogger("dev.breaker.cdi");
    private static final BreakReason REASON = BreakReason.shutdown("application");

    private final ManualBreaker root = Breakers.manual();
    private final ManualBreaker[] stripes;
    private final ReferenceQueue<ShutdownChild> collected = new ReferenceQueue<>();
    private final LongAdder leaks = new LongAdder();
    private final AtomicBoolean warned = new AtomicBoolean();

    ApplicationShutdown() {
        int n = Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors()) * 2 - 1) * 2;
        stripes = new ManualBreaker[Math.min(n, 64)];
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = Breakers.manual();
        }
    }

    /** The root breaker (readiness, job rejection); callers must not close it. */
    Breaker breaker() {
        return root;
    }

    /**
     * A breaker that trips only with this one; closing it leaves this one alone. {@code name}
     * identifies it in the leak warning.
     */
    Breaker child(String name) {
        drainCollected();
        return ShutdownChild.attach(stripe(), name, LeakSites.caller(), collected);
    }

    /** A breaker that trips with this one or after {@code timeout}, whichever comes first. */
    Breaker child(Duration timeout) {
        drainCollected();
        return stripe().withTimeout(timeout);
    }

    /** A breaker that trips with this one or after {@code timeout} with {@code reason} (a caller's budget). */
    Breaker child(Duration timeout, BreakReason reason) {
        drainCollected();
        return dev.breaker.internal.Breakers.budgetChild(stripe(), timeout, reason);
    }

    private ManualBreaker stripe() {
        return stripes[(int) Thread.currentThread().getId() & (stripes.length - 1)];
    }

    /** Removes the stripe registrations of children that were garbage-collected unclosed. */
    private void drainCollected() {
        Reference<? extends ShutdownChild> r = collected.poll();
        while (r != null) {
            ShutdownChild.Link link = (ShutdownChild.Link) r;
            link.unregister();
            leaks.increment();
            if (warned.compareAndSet(false, true)) {
                LOG.log(Level.WARNING, Messages.breakerLeaked(link.name, link.site, LeakSites.PROPERTY));
            }
            r = collected.poll();
        }
    }

    /** Registrations the stripes hold (collected children count until drained): a test hook. */
    int registrations() {
        int n = 0;
        for (ManualBreaker s : stripes) {
            n += s.listenerCount();
        }
        return n;
    }

    /** How many children were garbage-collected without being closed. */
    long leaks() {
        return leaks.sum();
    }

    /** Trips the shutdown breaker and every stripe; idempotent. */
    void begin() {
        root.tripAs(REASON);
        for (ManualBreaker s : stripes) {
            s.tripAs(REASON);
        }
    }
}
