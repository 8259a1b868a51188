package dev.breaker.internal;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Trips when the first of its children trips. It holds one registration on each child and
 * closes them all when it trips or is closed; it never closes the children themselves. On a
 * child that is one of ours, the registration is a single {@link ChildLink} node that is its own
 * action: one object and one CAS to link, and (being usually on top of the child's stack) one
 * CAS to unlink; the link on the child that tripped the multiplex was claimed by that trip and
 * costs one read to skip.
 *
 * <p>Thread safety: the constructing thread fills {@link #registrations} without a lock and then
 * publishes the array by setting {@link #PUBLISHED} in {@link #phase}; {@link #release()}
 * (possibly on a child's thread while the array is being filled) sets {@link #RELEASED}. Both
 * use one atomic add on {@link #phase}, so exactly one of them sees the other's bit, and that
 * one (whoever comes second) closes the registrations: every registration is closed exactly
 * once, after the array is complete.
 */
final class MultiplexBreaker extends AbstractBreaker {
    private static final VarHandle PHASE;
    private static final int PUBLISHED = 1;
    private static final int RELEASED = 2;

    static {
        try {
            PHASE = MethodHandles.lookup().findVarHandle(MultiplexBreaker.class, "phase", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Registration[] registrations;
    /** {@link #PUBLISHED} and {@link #RELEASED} bits, each added once. */
    private volatile int phase;

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
        if (((int) PHASE.getAndAdd(this, PUBLISHED) & RELEASED) != 0) {
            closeAll(); // released while we were registering: nobody else will close them
        }
    }

    @Override
    protected void release() {
        if (((int) PHASE.getAndAdd(this, RELEASED) & PUBLISHED) != 0) {
            closeAll();
        } // else the constructing thread closes them when it publishes
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
    int registrationCount() {
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
