package dev.breaker.internal;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;

/**
 * Trips when the first of its children trips. It holds one registration on each child and
 * closes them all when it trips or is closed; it never closes the children themselves. On a
 * child that is one of ours, the registration is a single {@link ChildLink} node that is its own
 * action (one object and one lock per child).
 *
 * <p>Thread safety: the constructing thread fills {@link #registrations} without a lock and then
 * publishes the array under {@code this}; {@link #release()} (possibly on a child's thread while
 * the array is being filled) closes the registrations only once they are published, and
 * otherwise leaves that to the constructing thread, which sees {@link #released} when it
 * publishes. So every registration is closed exactly once, whoever comes last.
 */
final class MultiplexBreaker extends AbstractBreaker {
    private final Registration[] registrations;
    /** Guarded by this. */
    private boolean published;
    /** Guarded by this. */
    private boolean released;

    private MultiplexBreaker(int n) {
        this.registrations = new Registration[n];
    }

    static Breaker of(Breaker... children) {
        if (children == null) {
            throw new NullPointerException("breakers must not be null");
        }
        if (children.length == 0) {
            throw new IllegalArgumentException("multiplex needs at least one breaker");
        }
        for (int i = 0; i < children.length; i++) {
            if (children[i] == null) {
                throw new NullPointerException("breaker #" + i + " of the multiplex is null");
            }
        }
        MultiplexBreaker m = new MultiplexBreaker(children.length);
        for (int i = 0; i < children.length && !m.isBroken(); i++) {
            m.registrations[i] = m.watch(children[i], i);
        }
        m.publish();
        return m;
    }

    /** Registers on one child; trips at once (and returns null) if the child has tripped. */
    private Registration watch(Breaker child, int index) {
        if (child instanceof AbstractBreaker) {
            AbstractBreaker ours = (AbstractBreaker) child;
            ChildLink link = new ChildLink(ours, this, index);
            if (ours.link(link)) {
                return link;
            }
            trip(BreakReason.child(index, ours.reasonOrNull()));
            return null;
        }
        return child.onBreak(() -> trip(BreakReason.child(index, child.reason().orElse(BreakReason.CLOSED))));
    }

    private void publish() {
        synchronized (this) {
            published = true;
            if (!released) {
                return;
            }
        }
        closeAll(); // released while we were registering: nobody else will close them
    }

    @Override
    protected void release() {
        synchronized (this) {
            released = true;
            if (!published) {
                return; // the constructing thread closes them when it publishes
            }
        }
        closeAll();
    }

    /** Runs once, after both publish and release, on whichever thread came second. */
    private void closeAll() {
        for (int i = 0; i < registrations.length; i++) {
            Registration r = registrations[i];
            if (r != null) {
                registrations[i] = null;
                cancelQuietly(r);
            }
        }
    }

    /** Registrations still held on children: a test hook (call when no trip is in progress). */
    synchronized int registrationCount() {
        int n = 0;
        for (Registration r : registrations) {
            if (r != null) {
                n++;
            }
        }
        return n;
    }

    /** The registration on one child of ours, which is also its own action. */
    private static final class ChildLink extends Listener implements InternalAction {
        private final MultiplexBreaker multiplex;
        private final int index;

        ChildLink(AbstractBreaker child, MultiplexBreaker multiplex, int index) {
            super(child, null);
            this.multiplex = multiplex;
            this.index = index;
            this.action = this;
        }

        @Override
        public void run() {
            BreakReason r = owner.reasonOrNull();
            multiplex.trip(BreakReason.child(index, r == null ? BreakReason.CLOSED : r));
        }
    }
}
