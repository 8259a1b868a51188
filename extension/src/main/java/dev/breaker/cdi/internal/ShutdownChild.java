package dev.breaker.cdi.internal;

import dev.breaker.BreakReason;
import dev.breaker.internal.AbstractBreaker;
import dev.breaker.internal.ManualBreaker;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;

/**
 * A breaker handed to the application that trips when its shutdown stripe trips, and that the
 * stripe does not keep alive. The stripe's registration is a {@link Link}, which refers to the
 * breaker weakly: a breaker the application dropped without closing it can be garbage-collected,
 * and its link then reaches a {@link ReferenceQueue} from which {@link ApplicationShutdown}
 * removes the registration and reports the leak. Anything that still uses the breaker (a caller,
 * a {@code withTimeout} child, a multiplex over it) holds it strongly, so it trips at shutdown.
 *
 * <p>Closing it (or its tripping) removes the stripe's registration at once; the link is then
 * unreachable and never queued. Thread safety as {@link AbstractBreaker}; {@link #onStripe} is
 * written once, before the breaker is published, and read in {@link #release()}.
 */
final class ShutdownChild extends AbstractBreaker {
    private volatile Registration onStripe;

    private ShutdownChild() {
    }

    /** A new breaker registered on {@code stripe}; born tripped if the stripe has tripped. */
    static ShutdownChild attach(ManualBreaker stripe, String name, StackTraceElement site,
                                ReferenceQueue<ShutdownChild> collected) {
        ShutdownChild child = new ShutdownChild();
        Link link = new Link(child, stripe, name, site, collected);
        Registration r = stripe.onBreak(link); // runs the link now if the stripe has tripped
        link.registration = r;
        child.onStripe = r;
        if (child.isBroken()) {
            r.close(); // tripped meanwhile, before it could see the registration: drop it here
        }
        return child;
    }

    @Override
    protected void release() {
        Registration r = onStripe;
        if (r != null) {
            r.close();
        }
    }

    /** The stripe's registration: trips the breaker if it is still alive. */
    static final class Link extends WeakReference<ShutdownChild> implements Runnable {
        private final ManualBreaker stripe;
        final String name;
        /** Where the breaker was made, if {@link LeakSites} records it; else null. */
        final StackTraceElement site;
        volatile Registration registration;

        Link(ShutdownChild child, ManualBreaker stripe, String name, StackTraceElement site,
             ReferenceQueue<ShutdownChild> queue) {
            super(child, queue);
            this.stripe = stripe;
            this.name = name;
            this.site = site;
        }

        @Override
        public void run() {
            ShutdownChild child = get();
            if (child != null) {
                BreakReason why = stripe.reasonOrNull();
                child.trip(BreakReason.parent(why != null ? why : BreakReason.CLOSED));
            }
        }

        /** Removes the stripe's registration of a breaker that was collected unclosed. */
        void unregister() {
            Registration r = registration;
            if (r != null) {
                r.close();
            }
        }
    }
}
