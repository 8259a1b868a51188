package dev.breaker.cdi.internal;

import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.context.spi.Context;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanContainer;

/**
 * Finds the {@link RequestBreakers} of the calling thread's active request context, or none,
 * without an exception on the usual paths. The request contexts are read once with CDI 4.1's
 * {@code BeanManager.getContexts} (Weld 6, ArC: they are fixed once the container runs) and
 * each call asks them {@code isActive()}; on a CDI 4.0 container (Payara 6, OpenWebBeans 4.0)
 * each call asks {@code getContext}, which throws {@link ContextNotActiveException} outside a
 * request. The instance is taken from the active context directly, not through a client proxy,
 * so a request pays for one context lookup.
 *
 * <p>Thread-safe: the cached contexts and bean are immutable once published (racing first calls
 * compute the same values).
 */
final class RequestContextProbe {
    private static final Context[] UNREAD = new Context[0];

    private final BeanContainer manager;
    private volatile Context[] contexts = UNREAD; // null: CDI 4.0, ask getContext on each call
    private volatile Bean<RequestBreakers> bean;

    RequestContextProbe(BeanContainer manager) {
        this.manager = manager;
    }

    /** The active request's breakers, or null outside a request (or once the container has gone). */
    RequestBreakers current() {
        Context active;
        try {
            active = active();
        } catch (RuntimeException e) {
            return null; // the container has shut down: no request can be active
        }
        if (active == null) {
            return null;
        }
        Bean<RequestBreakers> b = bean();
        if (b == null) {
            return null; // not a bean here (removed as unused): no request breakers to find
        }
        RequestBreakers r = active.get(b);
        return r != null ? r : active.get(b, manager.createCreationalContext(b));
    }

    private Context active() {
        Context[] cs = contexts;
        if (cs == UNREAD) {
            cs = readContexts();
        }
        if (cs == null) {
            try {
                Context c = manager.getContext(RequestScoped.class);
                return c.isActive() ? c : null;
            } catch (ContextNotActiveException e) {
                return null;
            }
        }
        for (Context c : cs) {
            if (c.isActive()) {
                return c;
            }
        }
        return null;
    }

    private Context[] readContexts() {
        Context[] cs;
        try {
            cs = manager.getContexts(RequestScoped.class).toArray(new Context[0]);
        } catch (LinkageError | UnsupportedOperationException e) {
            cs = null; // a CDI 4.0 container
        }
        contexts = cs;
        return cs;
    }

    @SuppressWarnings("unchecked")
    private Bean<RequestBreakers> bean() {
        Bean<RequestBreakers> b = bean;
        if (b == null) {
            b = (Bean<RequestBreakers>) manager.resolve(manager.getBeans(RequestBreakers.class));
            bean = b;
        }
        return b;
    }
}
