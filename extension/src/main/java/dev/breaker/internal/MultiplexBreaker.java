package dev.breaker.internal;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;

/**
 * Trips when the first of its children trips. It holds one registration on each child and
 * closes them all when it trips or is closed; it never closes the children themselves.
 *
 * <p>Thread safety: {@link #registrations} and {@link #released} are guarded by {@code this}.
 * A child may trip while the registrations are still being made; a registration made after
 * release is closed at once, so none survives.
 */
final class MultiplexBreaker extends AbstractBreaker {
    private final Registration[] registrations;
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
            Breaker child = children[i];
            int index = i;
            Registration r = child.onBreak(() -> m.trip(BreakReason.child(index,
                    child.reason().orElse(BreakReason.CLOSED))));
            synchronized (m) {
                if (!m.released) {
                    m.registrations[i] = r;
                    continue;
                }
            }
            r.close();
        }
        return m;
    }

    /** Registrations still held on children: a test hook. */
    synchronized int registrationCount() {
        int n = 0;
        for (Registration r : registrations) {
            if (r != null) {
                n++;
            }
        }
        return n;
    }

    @Override
    protected void release() {
        Registration[] toClose;
        synchronized (this) {
            released = true;
            toClose = registrations.clone();
            java.util.Arrays.fill(registrations, null);
        }
        for (Registration r : toClose) {
            if (r != null) {
                r.close();
            }
        }
    }
}
