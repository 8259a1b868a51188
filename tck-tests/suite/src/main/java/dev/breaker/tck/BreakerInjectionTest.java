package dev.breaker.tck;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;
import dev.breaker.cdi.BreakerConfig;
import dev.breaker.cdi.BreakerFactory;
import dev.breaker.cdi.Worker;
import dev.breaker.tck.fixtures.RecordingWorker;
import dev.breaker.tck.harness.Recorder;
import dev.breaker.tck.harness.Tck;
import dev.breaker.tck.harness.TckTest;
import dev.breaker.tck.spi.App;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code @Inject Breaker} and {@code @Inject @BreakerConfig("name") Breaker}: they trip at their
 * configured timeout (the clock starts at injection), at their deadline, or when the application
 * begins to shut down (before any worker stops), and they are closed when their holder is
 * destroyed.
 */
public class BreakerInjectionTest extends TckTest {
    private static final Duration GENEROUS = Duration.ofSeconds(10);

    @Dependent
    public static class Holder {
        @Inject
        Breaker plain;

        @Inject
        @BreakerConfig("fast")
        Breaker fast;

        @Inject
        @BreakerConfig("request")
        Breaker request;
    }

    @Dependent
    public static class PastHolder {
        @Inject
        @BreakerConfig("past")
        Breaker past;
    }

    /** Holds breakers for the application's lifetime; checks them in its {@code @PreDestroy}. */
    @Worker
    public static class Keeper extends RecordingWorker {
        @Inject
        Breaker plain;

        @Inject
        @BreakerConfig("request")
        Breaker request;

        @Override
        protected void onStop() {
            Recorder.record("plain-broken-" + plain.isBroken(), "Keeper");
            Recorder.record("request-broken-" + request.isBroken(), "Keeper");
        }
    }

    /** Per-call breakers from the factory. */
    @ApplicationScoped
    public static class Factory {
        @Inject
        BreakerFactory breakers;

        public Breaker named(String name) {
            return breakers.named(name);
        }

        public Breaker application() {
            return breakers.application();
        }
    }

    /** The per-call patterns for application scoped handlers (JAX-RS resources in Quarkus). */
    @ApplicationScoped
    public static class Handler {
        @Inject
        @Any
        Instance<Breaker> breakers;

        @Inject
        @BreakerConfig("fast")
        Provider<Breaker> fast;

        public Breaker fromProvider() {
            return fast.get();
        }

        public Breaker perCall(String name) {
            return breakers.select(BreakerConfig.Literal.of(name)).get();
        }
    }

    @Test
    public void unconfiguredBreakersTripWhenShutdownBeginsBeforeWorkersStop() {
        App app = Tck.deploy(Keeper.class, Holder.class);
        Holder holder = app.select(Holder.class).get();
        assertFalse(holder.plain.isBroken());
        assertFalse(holder.request.isBroken());
        app.shutdown();
        assertTrue(holder.plain.isBroken(), "@Inject Breaker must trip when the application shuts down");
        assertTrue(holder.request.isBroken(), "an unconfigured named breaker must trip at shutdown");
        assertEquals(1, Recorder.count("plain-broken-true", "Keeper"),
                "the application breaker must have tripped before the workers' @PreDestroy: " + Recorder.entries());
        assertEquals(1, Recorder.count("request-broken-true", "Keeper"));
    }

    @Test
    public void namedBreakerTripsAtItsConfiguredTimeoutFromInjection() throws InterruptedException {
        App app = Tck.deploy(Tck.config("breaker.fast.timeout", "700ms"), Holder.class);
        long t0 = System.nanoTime();
        Holder holder = app.select(Holder.class).get();
        assertTrue(holder.fast.await(GENEROUS), "breaker.fast.timeout=700ms never tripped");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 600, "tripped after " + ms + " ms, before its 700 ms timeout");
        assertEquals(BreakReason.Kind.TIMEOUT, holder.fast.reason().orElseThrow().root().kind());
        assertFalse(holder.plain.isBroken(), "the plain breaker has no timeout");
        assertFalse(holder.request.isBroken(), "an unconfigured breaker has no timeout");
    }

    @Test
    public void defaultTimeoutAppliesToThePlainBreaker() throws InterruptedException {
        App app = Tck.deploy(Tck.config("breaker.default.timeout", "300ms"), Holder.class);
        Holder holder = app.select(Holder.class).get();
        assertTrue(holder.plain.await(GENEROUS), "breaker.default.timeout=300ms never tripped @Inject Breaker");
        assertEquals(BreakReason.Kind.TIMEOUT, holder.plain.reason().orElseThrow().root().kind());
    }

    @Test
    public void aDeadlineInThePastGivesATrippedBreaker() {
        App app = Tck.deploy(Tck.config("breaker.past.deadline", "2000-01-01T00:00:00Z"), PastHolder.class);
        assertTrue(app.select(PastHolder.class).get().past.isBroken());
    }

    @Test
    public void breakersAreClosedWhenTheirHolderIsDestroyed() {
        App app = Tck.deploy(Holder.class);
        Instance<Holder> holders = app.select(Holder.class);
        Holder holder = holders.get();
        assertFalse(holder.request.isBroken());
        holders.destroy(holder);
        assertTrue(holder.request.isBroken(), "destroying the holder must close its breaker");
        assertTrue(holder.plain.isBroken(), "destroying the holder must close its breaker");
        assertEquals(BreakReason.Kind.CLOSED, holder.request.reason().orElseThrow().kind());
        assertEquals(BreakReason.Kind.CLOSED, holder.plain.reason().orElseThrow().kind());
    }

    /**
     * Issue 10 item 9: factory breakers without a timeout are held weakly by the shutdown breaker,
     * so that unclosed, dropped ones can be collected. Those the application still holds must trip
     * at shutdown all the same, however much garbage was collected meanwhile.
     */
    @Test
    public void heldFactoryBreakersTripAtShutdownAfterDroppedOnesWereCollected() {
        App app = Tck.deploy(Factory.class);
        Factory factory = app.select(Factory.class).get();
        Breaker named = factory.named("held");
        Breaker application = factory.application();
        Breaker child = factory.named("held-parent").withTimeout(Duration.ofHours(1)); // parent held by the child only
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 10_000; i++) {
                factory.named("dropped"); // never closed: a leak the library must survive
            }
            System.gc();
        }
        factory.named("drain").close();
        assertFalse(named.isBroken() || application.isBroken() || child.isBroken());
        app.shutdown();
        for (Breaker b : new Breaker[]{named, application, child}) {
            assertTrue(b.isBroken(), "a held factory breaker did not trip at shutdown: " + b);
            assertEquals(BreakReason.Kind.SHUTDOWN, b.reason().orElseThrow().root().kind(), b::toString);
        }
    }

    @Test
    public void perCallBreakersFromAnApplicationScopedHandler() throws InterruptedException {
        App app = Tck.deploy(Tck.config("breaker.fast.timeout", "200ms"), Handler.class);
        Handler handler = app.select(Handler.class).get();
        try (Breaker first = handler.perCall("fast")) {
            assertTrue(first.await(GENEROUS));
        }
        try (Breaker second = handler.perCall("fast")) {
            assertFalse(second.isBroken() && second.reason().orElseThrow().kind() == BreakReason.Kind.CLOSED,
                    "each call must get a new breaker, with its own clock");
            assertTrue(second.await(GENEROUS));
        }
        try (Breaker third = handler.fromProvider()) {
            assertTrue(third.await(GENEROUS), "a Provider with the qualifier gives a configured breaker too");
        }
    }
}
