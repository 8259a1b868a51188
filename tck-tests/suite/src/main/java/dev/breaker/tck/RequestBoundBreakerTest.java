package dev.breaker.tck;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;
import dev.breaker.cdi.BreakerConfig;
import dev.breaker.tck.harness.Tck;
import dev.breaker.tck.harness.TckTest;
import dev.breaker.tck.spi.App;
import jakarta.enterprise.context.ApplicationScoped;
import dev.breaker.tck.harness.Requests;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.Test;

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
 * An injected breaker in a shared (application scoped or singleton) handler bounds each request
 * in which it is used: made at its first use in the request, closed at the request's end. Here a
 * request is a call between the standard {@code RequestContextController}'s {@code activate()} and
 * {@code deactivate()} ({@link Requests}), as a JAX-RS request is on a server. Used
 * outside any request, a breaker with a timeout in such a bean fails with {@code BRKR018}.
 *
 * <p>Every call is made on a thread other than the one that booted the container, as requests
 * are on a server: OpenWebBeans SE keeps the request context it started at boot active on the
 * boot thread until shutdown, so there an activation starts no request.
 */
public class RequestBoundBreakerTest extends TckTest {
    private static final Duration GENEROUS = Duration.ofSeconds(10);

    @ApplicationScoped
    public static class Handler {
        @Inject
        @BreakerConfig("request")
        Breaker breaker;

        @Inject
        Breaker plain;

        public String fast() {
            return breaker.isBroken() ? "broken: " + breaker.reason().orElseThrow() : "ok";
        }

        public BreakReason slow() throws InterruptedException {
            if (!breaker.await(GENEROUS)) {
                throw new AssertionError("the request's breaker never tripped");
            }
            return breaker.reason().orElseThrow();
        }

        public void watch(CompletableFuture<BreakReason> endedWith) {
            Breaker child = breaker.withTimeout(Duration.ofHours(2)); // trips with the request's breaker
            child.onBreak(() -> endedWith.complete(child.reason().orElseThrow().root()));
        }

        public boolean outsideAnyRequest() {
            return breaker.isBroken();
        }

        public boolean plainOutsideAnyRequest() {
            return plain.isBroken();
        }
    }

    /** A {@code @Singleton}, as Quarkus makes a JAX-RS resource without a scope annotation. */
    @Singleton
    public static class SingletonHandler {
        @Inject
        @BreakerConfig("request")
        Breaker breaker;

        public String fast() {
            return breaker.isBroken() ? "broken" : "ok";
        }

        public boolean outsideAnyRequest() {
            return breaker.isBroken();
        }
    }

    private static Requests requests;

    /** Runs {@code call} as a request on a new thread (not the boot thread). */
    private static <T> T request(java.util.concurrent.Callable<T> call) throws Exception {
        Requests r = requests;
        return onRequestThread(() -> r.run(call));
    }

    /** Runs {@code call} on a new thread (not the boot thread). */
    private static <T> T onRequestThread(java.util.concurrent.Callable<T> call) throws Exception {
        return Tck.onOtherThread(call);
    }

    @Test
    public void requestsAfterTheTimeoutAnswerOkAndOnlyTheSlowConcurrentOneTrips() throws Exception {
        App app = Tck.deploy(Tck.config("breaker.request.timeout", "300ms"), Handler.class, SingletonHandler.class, Requests.class);
        Handler handler = app.select(Handler.class).get();
        SingletonHandler single = app.select(SingletonHandler.class).get();
        requests = app.select(Requests.class).get();
        assertEquals("ok", request(handler::fast));
        assertEquals(BreakReason.Kind.TIMEOUT, request(handler::slow).root().kind(),
                "a request longer than 300 ms trips");
        assertEquals("ok", request(handler::fast), "a request after the timeout has a live breaker of its own");
        assertEquals("ok", request(single::fast), "also in a @Singleton");
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            CountDownLatch go = new CountDownLatch(1);
            Future<BreakReason> slow = pool.submit(() -> {
                go.await();
                return requests.run(handler::slow);
            });
            List<Future<String>> fast = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                fast.add(pool.submit(() -> {
                    go.await();
                    return requests.run(handler::fast);
                }));
            }
            go.countDown();
            for (Future<String> f : fast) {
                assertEquals("ok", f.get(10, TimeUnit.SECONDS));
            }
            assertEquals(BreakReason.Kind.TIMEOUT, slow.get(10, TimeUnit.SECONDS).root().kind());
            assertEquals("ok", request(handler::fast), "after the slow one tripped, the next request is fine");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    public void theRequestsBreakerIsClosedWhenTheRequestEnds() throws Exception {
        App app = Tck.deploy(Tck.config("breaker.request.timeout", "1h"), Handler.class, Requests.class);
        CompletableFuture<BreakReason> endedWith = new CompletableFuture<>();
        Handler handler = app.select(Handler.class).get();
        requests = app.select(Requests.class).get();
        request(() -> {
            handler.watch(endedWith);
            return null;
        });
        assertEquals(BreakReason.Kind.CLOSED, endedWith.get(10, TimeUnit.SECONDS).kind());
    }

    @Test
    public void aTimedBreakerOfASharedBeanUsedOutsideAnyRequestFailsWithBrkr018() throws Exception {
        App app = Tck.deploy(Tck.config("breaker.request.timeout", "2s"), Handler.class, SingletonHandler.class, Requests.class);
        Handler handler = app.select(Handler.class).get();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> onRequestThread(handler::outsideAnyRequest));
        assertEquals("BRKR018: the breaker 'request' injected into " + Handler.class.getName() + ".breaker"
                + " has a timeout and was used outside a request, where its clock would start once and it would"
                + " stay tripped for every later caller; use it during a request, annotate the calling method"
                + " @ActivateRequestContext (one breaker per call), or take a new breaker per call from"
                + " BreakerFactory", e.getMessage());
        SingletonHandler single = app.select(SingletonHandler.class).get();
        IllegalStateException s = assertThrows(IllegalStateException.class, () -> onRequestThread(single::outsideAnyRequest));
        assertTrue(s.getMessage().startsWith("BRKR018: the breaker 'request' injected into "
                + SingletonHandler.class.getName() + ".breaker "), s::getMessage);
        assertFalse(onRequestThread(handler::plainOutsideAnyRequest), "a breaker without a timeout is fine outside a request");
        requests = app.select(Requests.class).get();
        assertEquals("ok", request(handler::fast), "the same handle in a request");
    }
}
