package dev.breaker.cdi.internal;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10 item 9: what the breakers made for the application hold must be bounded. Every breaker
 * name used to be cached forever, and a {@code BreakerFactory} breaker without a timeout that was
 * never closed stayed registered on a shutdown stripe for the life of the application. Each test
 * uses its own {@link BreakerSource}, asserts deltas, and trips it at the end.
 */
class BreakerSourceBoundsTest {
    private static final Duration GENEROUS = Duration.ofSeconds(10);
    private static final int LEAKED = 100_000;

    private final List<LogRecord> warnings = new CopyOnWriteArrayList<>();
    private final Logger logger = Logger.getLogger("dev.breaker.cdi");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private BreakerSource source;

    @BeforeEach
    void captureWarnings() {
        logger.addHandler(capture);
    }

    @AfterEach
    void cleanUp() {
        logger.removeHandler(capture);
        if (source != null) {
            source.beginShutdown();
        }
    }

    @Test
    void unclosedFactoryBreakersWithoutTimeoutAreCollectedAndLeaveTheirStripe() throws Exception {
        source = new BreakerSource(ConfigLookup.NONE, Set.of());
        int baseline = source.stripeRegistrations();
        Breaker[] held = make(LEAKED);
        assertEquals(baseline + LEAKED, source.stripeRegistrations(), "each live breaker holds one registration");
        assertFalse(held[LEAKED - 1].isBroken());
        held = null; // dropped, never closed

        long end = System.nanoTime() + GENEROUS.toNanos();
        while (source.stripeRegistrations() != baseline && System.nanoTime() < end) {
            System.gc();
            source.named("probe").close(); // ordinary traffic drains what the collector found
        }
        assertEquals(baseline, source.stripeRegistrations(), "unclosed, unreachable breakers still registered");
        assertEquals(LEAKED, source.leakedBreakers());
        List<String> leakWarnings = warnings.stream().map(LogRecord::getMessage)
                .filter(m -> m.startsWith("BRKR014")).toList();
        assertEquals(1, leakWarnings.size(), () -> "expected one warning, got " + leakWarnings);
        assertTrue(leakWarnings.get(0).contains("'leaky'"), leakWarnings.get(0));
        assertTrue(leakWarnings.get(0).contains("-Ddev.breaker.leak-sites=true"), leakWarnings.get(0));
    }

    @Test
    void theWarningSaysWhereTheLeakedBreakerWasMadeWhenAsked() {
        LeakSites.enabled(true);
        try {
            source = new BreakerSource(ConfigLookup.NONE, Set.of());
            Breaker[] held = make(1_000);
            assertEquals(1_000, held.length);
            held = null;
            long end = System.nanoTime() + GENEROUS.toNanos();
            while (source.leakedBreakers() == 0 && System.nanoTime() < end) {
                System.gc();
                source.named("probe").close();
            }
        } finally {
            LeakSites.enabled(false);
        }
        List<String> leakWarnings = warnings.stream().map(LogRecord::getMessage)
                .filter(m -> m.startsWith("BRKR014")).toList();
        assertEquals(1, leakWarnings.size(), leakWarnings::toString);
        assertTrue(leakWarnings.get(0).contains("(made at " + BreakerSourceBoundsTest.class.getName() + ".make("),
                leakWarnings.get(0));
    }

    @Test
    void closedBreakersLeaveNothingAndWarnNothing() {
        source = new BreakerSource(ConfigLookup.NONE, Set.of());
        int baseline = source.stripeRegistrations();
        for (int i = 0; i < 10_000; i++) {
            source.named("tidy").close();
            source.application().close();
        }
        assertEquals(baseline, source.stripeRegistrations());
        for (int i = 0; i < 3; i++) {
            System.gc();
            source.named("probe").close();
        }
        assertEquals(0, source.leakedBreakers());
        assertTrue(warnings.stream().noneMatch(r -> r.getMessage().startsWith("BRKR014")), warnings::toString);
    }

    /** Issue 10 item 6, run-time side: the farthest accepted values saturate instead of overflowing. */
    @Test
    void theFarthestDeadlineAndTheLongestTimeoutDoNotTripEarly() {
        source = new BreakerSource(SettingsTest.lookup(Map.of(
                "breaker.far.deadline", "+1000000000-12-31T23:59:59Z",
                "breaker.long.timeout", "36500d",
                "breaker.both.timeout", "36500d", "breaker.both.deadline", "+1000000000-12-31T23:59:59Z")), Set.of());
        try (Breaker far = source.named("far"); Breaker longest = source.named("long");
             Breaker both = source.named("both")) {
            assertFalse(far.isBroken() || longest.isBroken() || both.isBroken(),
                    () -> far + " " + longest + " " + both);
            source.beginShutdown();
            assertEquals(BreakReason.Kind.SHUTDOWN, far.reason().orElseThrow().root().kind());
            assertEquals(BreakReason.Kind.SHUTDOWN, longest.reason().orElseThrow().root().kind());
            assertEquals(BreakReason.Kind.SHUTDOWN, both.reason().orElseThrow().root().kind());
        }
    }

    /** A breaker the application still holds trips at shutdown, however it was made. */
    @Test
    void heldBreakersStillTripAtShutdown() {
        source = new BreakerSource(SettingsTest.lookup(Map.of("breaker.slow.timeout", "1h")), Set.of());
        Breaker named = source.named("unconfigured");
        Breaker timed = source.named("slow");
        Breaker application = source.application();
        Breaker withTimeout = named.withTimeout(Duration.ofHours(1));
        System.gc();
        source.named("probe").close();
        assertFalse(named.isBroken() || timed.isBroken() || application.isBroken() || withTimeout.isBroken());
        source.beginShutdown();
        for (Breaker b : List.of(named, timed, application, withTimeout)) {
            assertTrue(b.isBroken(), b::toString);
            assertEquals(BreakReason.Kind.SHUTDOWN, b.reason().orElseThrow().root().kind(), b::toString);
        }
        assertTrue(source.named("after").isBroken(), "a breaker made after shutdown began is born tripped");
        assertEquals(0, source.stripeRegistrations());
    }

    @Test
    void theNameCacheIsBoundedAndConfiguredNamesStillApply() throws Exception {
        Map<String, String> values = Map.of("breaker.listed.timeout", "1h", "breaker.hidden.timeout", "20ms");
        ConfigLookup config = new ConfigLookup() { // "hidden" is set but not listed, as an environment variable
            @Override
            public Optional<String> get(String key) {
                return Optional.ofNullable(values.get(key));
            }

            @Override
            public Set<String> breakerKeys() {
                return Set.of("breaker.listed.timeout");
            }
        };
        source = new BreakerSource(config, Set.of("injected"));
        for (int i = 0; i < 10_000; i++) {
            source.named("name-" + i).close();
        }
        int cached = source.cachedNames();
        assertTrue(cached <= BreakerSource.MAX_CACHED_NAMES + 2, "cached " + cached + " names");
        try (Breaker hidden = source.named("hidden"); Breaker listed = source.named("listed")) {
            assertTrue(hidden.await(GENEROUS), "breaker.hidden.timeout was not applied once the cache was full");
            assertEquals(BreakReason.Kind.TIMEOUT, hidden.reason().orElseThrow().root().kind());
            assertFalse(listed.isBroken());
        }
        source.named("injected").close();
        assertTrue(source.cachedNames() <= BreakerSource.MAX_CACHED_NAMES + 2);
    }

    private Breaker[] make(int n) {
        Breaker[] breakers = new Breaker[n];
        for (int i = 0; i < n; i++) {
            breakers[i] = source.named("leaky");
        }
        return breakers;
    }
}
