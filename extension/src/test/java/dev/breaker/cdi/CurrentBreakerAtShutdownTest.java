package dev.breaker.cdi;

import dev.breaker.Breaker;
import dev.breaker.CurrentBreaker;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.inject.Inject;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A request still running while the workers stop finds its breaker through
 * {@code CurrentBreaker.get()}, tripped by the shutdown, not nothing (which would let
 * {@code get().orElse(...)} code run unbounded while the injected breaker says "tripped").
 */
class CurrentBreakerAtShutdownTest {
    static final CountDownLatch STOPPING = new CountDownLatch(1);
    static final CountDownLatch RELEASE = new CountDownLatch(1);

    @Worker
    static class SlowToStop {
        @PreDestroy
        void stop() throws InterruptedException {
            STOPPING.countDown();
            RELEASE.await(30, TimeUnit.SECONDS);
        }
    }

    @ApplicationScoped
    static class Handler {
        @Inject
        Breaker plain;

        /** A request that waits for the shutdown to trip its breaker, then asks for the current one. */
        @ActivateRequestContext
        Optional<Breaker> throughTheShutdown() throws InterruptedException {
            assertTrue(plain.await(java.time.Duration.ofSeconds(30)), "the shutdown never tripped the request's breaker");
            assertTrue(STOPPING.await(30, TimeUnit.SECONDS), "the workers never began to stop");
            return CurrentBreaker.get();
        }
    }

    @Test
    void aRequestInFlightWhileTheWorkersStopFindsItsTrippedBreaker() throws Exception {
        WeldContainer container = Containers.weld(SlowToStop.class, Handler.class).initialize();
        Handler handler = container.select(Handler.class).get();
        CompletableFuture<Optional<Breaker>> request = CompletableFuture.supplyAsync(() -> {
            try {
                return handler.throughTheShutdown();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread closer = new Thread(container::close, "closer");
        closer.start();
        try {
            Optional<Breaker> current = request.get(30, TimeUnit.SECONDS);
            assertTrue(current.isPresent(), "CurrentBreaker found nothing in a request while the workers stopped");
            assertTrue(current.get().isBroken());
        } finally {
            RELEASE.countDown();
            closer.join(30_000);
        }
    }
}
