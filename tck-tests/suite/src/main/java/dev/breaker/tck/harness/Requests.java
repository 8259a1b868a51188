package dev.breaker.tck.harness;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.RequestContextController;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.util.concurrent.Callable;

/**
 * Makes a call one request, as a server does: the standard {@link RequestContextController}, one
 * per request. A test that uses {@link Tck#inRequest} deploys this class with its beans (ArC
 * removes the controller bean unless something injects it). Thread-safe.
 */
@ApplicationScoped
public class Requests {
    @Inject
    Instance<RequestContextController> controllers;

    /** Runs {@code call} between {@code activate()} and {@code deactivate()} on the calling thread. */
    public <T> T run(Callable<T> call) throws Exception {
        RequestContextController c = controllers.get();
        if (!c.activate()) {
            throw new AssertionError("a request context was already active on " + Thread.currentThread());
        }
        try {
            return call.call();
        } finally {
            c.deactivate();
            controllers.destroy(c);
        }
    }
}
