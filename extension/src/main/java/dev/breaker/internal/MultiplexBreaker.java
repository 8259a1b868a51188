package dev.breaker.internal;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;

import java.lang.invoke.VarHandle;

/**
 * Trips when the first of its children trips. It holds one registration on each child and
 * closes them all when it trips or is closed; it never closes the children themselves. On a
 * child that is one of ours, the registration is a single {@link ChildLink} node that is its own
 * action: one object and one CAS to link, one CAS to unlink when it is still on top of the
 * child's stack (the usual case), none for the link through which a child tripped us (that
 * child's trip took it); a child's trip runs it without a CAS of its own, as tripping a tripped
 * multiplex does nothing.
 *
 * <p>Thread safety: {@link #registrations} is filled by the constructing thread while a child
 * may trip this multiplex on another thread, whose {@link #release()} then closes what it finds
 * there. The constructing thread stores each link in the array before the CAS that links it and
 * looks at {@link #isBroken()} after that CAS; the releasing thread won the CAS of the reason
 * before it reads the array. So for each registration, the releasing thread sees it, or the
 * constructing thread sees the trip and closes every registration it made itself (see
 * {@link #of}); a registration may be closed by both, which is harmless (closing is idempotent
 * and thread-safe), but none is left open.
 */
final class MultiplexBreaker extends AbstractBreaker {
    private final Registration[] registrations;

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
        for (int i = 0; i < children.length; i++) {
            m.watch(children[i], i);
            if (m.isBroken()) {
                m.closeAll(); // a child tripped us: its release may have missed what we linked since
                break;
            }
        }
        return m;
    }

    /**
     * Registers on one child, storing the registration in {@link #registrations} before the CAS
     * that links it (see the class comment); trips at once if the child has tripped.
     */
    private void watch(Breaker child, int index) {
        if (child instanceof AbstractBreaker) {
            AbstractBreaker ours = (AbstractBreaker) child;
            ChildLink link = new ChildLink(ours, this, index);
            registrations[index] = link;
            if (!ours.link(link)) {
                trip(BreakReason.child(index, ours.reasonOrNull()));
            }
            return;
        }
        Registration r = child.onBreak(() -> trip(BreakReason.child(index, child.reason().orElse(BreakReason.CLOSED))));
        registrations[index] = r;
        VarHandle.fullFence(); // the store above, then the caller's read of the reason
    }

    @Override
    protected void release() {
        closeAll(); // the reason's CAS came first: see the class comment
    }

    /**
     * Closes every registration found in the array. Runs on the releasing thread, and also on
     * the constructing thread if the multiplex tripped while it was built; closing one
     * registration twice does nothing more.
     */
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

    /** The registration on one child of ours, which is also its own (repeatable) action. */
    private static final class ChildLink extends Listener implements InternalAction {
        private final MultiplexBreaker multiplex;
        private final int index;

        ChildLink(AbstractBreaker child, MultiplexBreaker multiplex, int index) {
            super(child, null, true);
            this.multiplex = multiplex;
            this.index = index;
            this.action = this;
        }

        @Override
        public void run() {
            if (multiplex.isBroken()) {
                return; // tripped already (by another child, or closed): nothing to do
            }
            BreakReason r = owner.reasonOrNull();
            multiplex.trip(BreakReason.child(index, r == null ? BreakReason.CLOSED : r));
        }
    }
}
