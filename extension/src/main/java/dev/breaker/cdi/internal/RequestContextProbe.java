package dev.breaker.cdi.internal;

import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.context.spi.Context;
import jakarta.enterprise.inject.spi.BeanManager;

/**
 * Whether the calling thread is inside an active request context, without an exception on the
 * usual path: CDI 4.1's {@code BeanManager.getContexts} (Weld 6, ArC), falling back, once, to
 * {@code getContext} and its {@link ContextNotActiveException} on CDI 4.0 containers (Payara 6,
 * OpenWebBeans 4.0). Thread-safe.
 */
final class RequestContextProbe {
    private final BeanManager manager;
    private volatile boolean contextsMethod = true;

    RequestContextProbe(BeanManager manager) {
        this.manager = manager;
    }

    boolean requestActive() {
        if (contextsMethod) {
            try {
                for (Context c : manager.getContexts(RequestScoped.class)) {
                    if (c.isActive()) {
                        return true;
                    }
                }
                return false;
            } catch (LinkageError | UnsupportedOperationException e) {
                contextsMethod = false; // a CDI 4.0 container
            } catch (RuntimeException e) {
                return false; // the container has shut down: no request can be active
            }
        }
        try {
            return manager.getContext(RequestScoped.class).isActive();
        } catch (ContextNotActiveException e) {
            return false;
        } catch (RuntimeException e) {
            return false; // the container has shut down: no request can be active
        }
    }
}
