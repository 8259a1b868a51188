package dev.breaker.cdi;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;
import dev.breaker.cdi.internal.BreakerSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 28: {@code @Inject Breaker} in a singleton handler bounds each request, not the first
 * {@code timeout} of the application's life. A request is an active request context, here
 * {@code @ActivateRequestContext}, as a JAX-RS request in a server.
 */
class RequestBoundBreakerTest {
    private static final Duration GENEROUS = Duration.ofSeconds(10);

    /** The handler: no per-call code, a timed breaker in a shared bean. */
    @ApplicationScoped
    static class Handler {
        @Inject
        @BreakerConfig("request")
        Breaker breaker;

        @Inject
        Breaker plain;

        /** A fast request: answers whether its breaker had tripped. */
        @ActivateRequestContext
        String fast() {
            return breaker.isBroken() ? "broken: " + breaker.reason().orElseThrow() : "ok";
        }

        /** A slow request: waits for its breaker, and records the breaker's close at the request's end. */
        @ActivateRequestContext
        BreakReason slow() throws InterruptedException {
            assertTrue(breaker.await(GENEROUS), "the request's breaker never tripped");
            return breaker.reason().orElseThrow();
        }

        /** Registers an action on the request's breaker and returns; the action sees the request's end. */
        @ActivateRequestContext
        void watch(CompletableFuture<BreakReason> closedWith) {
            Breaker child = breaker.withTimeout(Duration.ofHours(2)); // trips when the request's breaker does
            child.onBreak(() -> closedWith.complete(child.reason().orElseThrow().root()));
        }

        @ActivateRequestContext
        String closeThenLook() {
            breaker.close();
            return breaker.reason().map(r -> r.kind().name()).orElse("live");
        }

        String outsideAnyRequest() {
            return String.valueOf(breaker.isBroken());
        }

        boolean plainOutsideAnyRequest() {
            return plain.isBroken();
        }

        Breaker plainHandle() {
            return plain;
        }
    }

    /** A {@code @Singleton} (pseudo-scope), as Quarkus makes an unannotated JAX-RS resource. */
    @Singleton
    static class SingletonHandler {
        @Inject
        @BreakerConfig("request")
        Breaker breaker;

        @ActivateRequestContext
        String fast() {
            return breaker.isBroken() ? "broken" : "ok";
        }

        String outsideAnyRequest() {
            return String.valueOf(breaker.isBroken());
        }
    }

    @Test
    void everyRequestAfterTheTimeoutStillGetsItsOwnLiveBreaker() throws Exception {
        try (TestConfig config = TestConfig.of("breaker.request.timeout", "300ms");
             WeldContainer container = Containers.weld(Handler.class, SingletonHandler.class).initialize()) {
            Handler handler = container.select(Handler.class).get();
            assertEquals("ok", handler.fast());
            BreakReason slow = handler.slow(); // more than the timeout passes in this request
            assertEquals(BreakReason.Kind.TIMEOUT, slow.root().kind(), slow::toString);
            for (int i = 0; i < 100; i++) {
                assertEquals("ok", handler.fast(), "request " + i + " after the timeout");
            }
            SingletonHandler single = container.select(SingletonHandler.class).get();
            assertEquals("ok", single.fast());
        }
    }

    @Test
    void concurrentRequestsOnlyTheSlowOneTrips() throws Exception {
        try (TestConfig config = TestConfig.of("breaker.request.timeout", "300ms");
             WeldContainer container = Containers.weld(Handler.class).initialize()) {
            Handler handler = container.select(Handler.class).get();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                for (int round = 0; round < 3; round++) {
                    CountDownLatch go = new CountDownLatch(1);
                    Future<BreakReason> slow = pool.submit(() -> {
                        go.await();
                        return handler.slow();
                    });
                    List<Future<String>> fast = new ArrayList<>();
                    for (int i = 0; i < 7; i++) {
                        fast.add(pool.submit(() -> {
                            go.await();
                            String first = handler.fast();
                            return first.equals("ok") ? handler.fast() : first;
                        }));
                    }
                    go.countDown();
                    for (Future<String> f : fast) {
                        assertEquals("ok", f.get(10, TimeUnit.SECONDS));
                    }
                    assertEquals(BreakReason.Kind.TIMEOUT, slow.get(10, TimeUnit.SECONDS).root().kind());
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void theRequestsBreakerIsClosedWhenTheRequestEndsAndNothingIsLeftRegistered() throws Exception {
        try (TestConfig config = TestConfig.of("breaker.request.timeout", "1h");
             WeldContainer container = Containers.weld(Handler.class).initialize()) {
            Handler handler = container.select(Handler.class).get();
            BreakerSource source = container.select(BreakerSource.class).get();
            int before = registrations(source);
            for (int i = 0; i < 1_000; i++) {
                assertEquals("ok", handler.fast());
            }
            assertEquals(before, registrations(source), "every request's breaker left the shutdown stripes");
            CompletableFuture<BreakReason> closedWith = new CompletableFuture<>();
            handler.watch(closedWith);
            assertEquals(BreakReason.Kind.CLOSED, closedWith.get(10, TimeUnit.SECONDS).kind(),
                    "the request's end closes its breaker (its timer entry is freed)");
            assertEquals(before, registrations(source));
        }
    }

    @Test
    void closeInARequestClosesThatRequestsBreakerOnly() throws Exception {
        try (TestConfig config = TestConfig.of("breaker.request.timeout", "1h");
             WeldContainer container = Containers.weld(Handler.class).initialize()) {
            Handler handler = container.select(Handler.class).get();
            assertEquals("CLOSED", handler.closeThenLook());
            assertEquals("ok", handler.fast(), "the next request gets a new breaker");
        }
    }

    @Test
    void aTimedBreakerOfASharedBeanUsedOutsideAnyRequestFailsWithBrkr018() throws Exception {
        try (TestConfig config = TestConfig.of("breaker.request.timeout", "2s");
             WeldContainer container = Containers.weld(Handler.class, SingletonHandler.class).initialize()) {
            Handler handler = container.select(Handler.class).get();
            IllegalStateException e = assertThrows(IllegalStateException.class, handler::outsideAnyRequest);
            assertEquals("BRKR018: the breaker 'request' injected into " + Handler.class.getName() + ".breaker"
                    + " has a timeout and was used outside a request, where its clock would start once and it"
                    + " would stay tripped for every later caller; use it during a request, annotate the calling"
                    + " method @ActivateRequestContext (one breaker per call), or take a new breaker per call"
                    + " from BreakerFactory", e.getMessage());
            SingletonHandler single = container.select(SingletonHandler.class).get();
            IllegalStateException s = assertThrows(IllegalStateException.class, single::outsideAnyRequest);
            assertTrue(s.getMessage().startsWith("BRKR018: the breaker 'request' injected into "
                    + SingletonHandler.class.getName() + ".breaker"), s::getMessage);
            assertFalse(handler.plainOutsideAnyRequest(), "an untimed breaker is fine outside a request");
            assertEquals("ok", handler.fast(), "and the same handle works in a request");
        }
    }

    @Test
    void anUntimedBreakerOfASharedBeanTripsAtShutdownOutsideRequests() throws Exception {
        Breaker plain;
        try (WeldContainer container = Containers.weld(Handler.class).initialize()) {
            Handler handler = container.select(Handler.class).get();
            assertFalse(handler.plainOutsideAnyRequest());
            assertEquals("false", handler.outsideAnyRequest(), "no timeout configured: allowed");
            plain = handler.plainHandle();
        }
        assertTrue(plain.isBroken(), "tripped at shutdown");
        assertEquals(BreakReason.Kind.SHUTDOWN, plain.reason().orElseThrow().root().kind());
    }

    private static int registrations(BreakerSource source) throws Exception {
        Method m = BreakerSource.class.getDeclaredMethod("stripeRegistrations");
        m.setAccessible(true);
        return (int) m.invoke(source);
    }
}
