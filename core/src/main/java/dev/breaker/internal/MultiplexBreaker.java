package dev.breaker.internal;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;

import java.lang.invoke.MethodHandles;
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
 * there. The constructing thread first stores a {@link ChildLink} for every child of ours (plain
 * stores) and only then links them one by one, so a child's trip, which takes the stack holding
 * its link (acquiring what the linking CAS released), sees all of them; a link it cancels before
 * it was linked is left as a cancelled node (counted as garbage on that child) if the
 * constructing thread links it anyway, and a link whose slot that trip already emptied (a
 * release store, read with an acquire load) is not linked at all. A registration on another child is stored with a
 * volatile store after {@code onBreak} returns, and then the constructing thread reads the
 * reason; the releasing thread won the CAS of the reason before it reads the array (volatile
 * reads). So for each registration, the releasing thread sees it, or the constructing thread
 * sees the trip and closes every registration it made itself (see {@link #of}); a registration
 * may be closed by both, which is harmless (closing is idempotent and thread-safe), but none is
 * left open.
 */
final class MultiplexBreaker extends AbstractBreaker {
    /** Volatile access to the elements of {@link #registrations}. */
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Registration[].class);

    /** Written and read with volatile access ({@link #SLOT}): see the class comment. */
    private final Registration[] registrations;

    /** The children, for {@link #remainingNanos()}: a copy of the caller's array. */
    private final Breaker[] children;

    private MultiplexBreaker(Breaker[] children) {
        this.children = children.clone();
        this.registrations = new Registration[children.length];
    }

    /** The earliest time left of its children (any child may trip it first). */
    @Override
    long remainingNanos() {
        if (isBroken()) {
            return 0;
        }
        long left = -1;
        for (Breaker child : children) {
            left = earlier(left, remainingNanosOf(child));
        }
        return isBroken() ? 0 : left;
    }

    static Breaker of(Breaker... children) {
        if (children == null) {
            throw new NullPointerException("breakers must not be null");
        }
        if (children.length == 0) {
            throw new IllegalArgumentException("multiplex needs at least one breaker");
        }
        Breaker[] resolved = children.clone();
        for (int i = 0; i < resolved.length; i++) {
            if (resolved[i] == null) {
                throw new NullPointerException("breaker #" + i + " of the multiplex is null");
            }
            // an injected handle: the breaker it stands for here, which the children's actions
            // (run on whichever thread trips them) can ask about
            resolved[i] = BreakerHandle.resolve(resolved[i]);
        }
        children = resolved;
        MultiplexBreaker m = new MultiplexBreaker(children);
        for (int i = 0; i < children.length; i++) {
            if (children[i] instanceof AbstractBreaker) { // all our links stored before the first is linked
                m.registrations[i] = new ChildLink((AbstractBreaker) children[i], m, i);
            }
        }
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
     * Links the registration on one child (ours: the {@link ChildLink} already in
     * {@link #registrations}; else a new one, then stored there), or trips at once if the child
     * has tripped; see the class comment.
     */
    private void watch(Breaker child, int index) {
        if (child instanceof AbstractBreaker) {
            AbstractBreaker ours = (AbstractBreaker) child;
            ChildLink link = (ChildLink) SLOT.getAcquire(registrations, index);
            if (link == null) {
                return; // a child's trip closed it already (after its reason's CAS): the caller sees isBroken()
            }
            if (!ours.link(link)) {
                trip(BreakReason.child(index, ours.reasonOrNull()));
            }
            return;
        }
        Registration r = child.onBreak(() -> trip(BreakReason.child(index, child.reason().orElse(BreakReason.CLOSED))));
        SLOT.setVolatile(registrations, index, r); // then the caller reads the reason
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
            Registration r = (Registration) SLOT.getVolatile(registrations, i);
            if (r != null) {
                SLOT.setRelease(registrations, i, (Registration) null); // read by watch(): see there
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
