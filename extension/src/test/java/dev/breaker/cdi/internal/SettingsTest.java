package dev.breaker.cdi.internal;

import dev.breaker.worker.Policy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsTest {

    static ConfigLookup lookup(Map<String, String> values) {
        return new ConfigLookup() {
            @Override
            public Optional<String> get(String key) {
                return Optional.ofNullable(values.get(key));
            }

            @Override
            public Set<String> breakerKeys() {
                return values.keySet();
            }
        };
    }

    @Test
    void defaultsFitKubernetesGracePeriod() {
        Settings s = new Settings(ConfigLookup.NONE);
        assertEquals(Duration.ofSeconds(25), s.shutdownTimeout());
        assertTrue(s.defaultTimeout().isEmpty());
        WorkerSettings w = s.worker("any");
        assertTrue(w.enabled());
        assertEquals(Duration.ofSeconds(10), w.stopTimeout());
        assertTrue(w.onError().isEmpty());
    }

    @Test
    void readinessDelayDefaultsToZeroAndAcceptsZero() {
        assertEquals(Duration.ZERO, new Settings(ConfigLookup.NONE).readinessDelay(), "nothing changes by default");
        assertEquals(Duration.ZERO, new Settings(lookup(Map.of("breaker.shutdown.readiness-delay", "0"))).readinessDelay());
        assertEquals(Duration.ofMillis(1500),
                new Settings(lookup(Map.of("breaker.shutdown.readiness-delay", "1500ms"))).readinessDelay());
    }

    @Test
    void readsWorkerKeys() {
        Settings s = new Settings(lookup(Map.of("breaker.worker.db.stop-timeout", "3s",
                "breaker.worker.db.on-error", "Shutdown", "breaker.worker.db.max-restarts", "4",
                "breaker.worker.db.enabled", "false")));
        WorkerSettings w = s.worker("db");
        assertEquals(Duration.ofSeconds(3), w.stopTimeout());
        assertEquals(Optional.of(Policy.SHUTDOWN), w.onError());
        assertEquals(Optional.of(4), w.maxRestarts());
        assertTrue(!w.enabled());
    }

    @Test
    void validateReportsEveryInvalidValueIncludingKeysOfUnusedNames() {
        Settings s = new Settings(lookup(Map.of("breaker.worker.db.on-error", "explode",
                "breaker.worker.db.max-restarts", "-1", "breaker.worker.db.enabled", "yes",
                "breaker.other.deadline", "tomorrow", "breaker.shutdown.timeout", "1s",
                "breaker.worker.db.unknown", "x")));
        List<String> problems = new ArrayList<>();
        s.validate(new DeploymentModel(List.of(), List.of()), problems::add);
        assertEquals(4, problems.size(), problems::toString);
        assertTrue(problems.contains("BRKR004: invalid value 'explode' for breaker.worker.db.on-error: expected"
                + " nothing, restart or shutdown"), problems::toString);
        assertTrue(problems.contains("BRKR004: invalid value 'tomorrow' for breaker.other.deadline: expected"
                + " an ISO-8601 instant such as 2030-01-01T00:00:00Z"), problems::toString);
    }

    /**
     * Issue 10 item 6: {@code 110000d} parsed and then broke every shutdown, and
     * {@code 999999999999999999d} overflowed in parsing with a raw ArithmeticException that
     * escaped the collecting pass. Each is now one BRKR004 problem among the others.
     */
    @Test
    void hugeAndOverflowingDurationsAreProblemsCollectedWithTheOthers() {
        Settings s = new Settings(lookup(Map.of("breaker.shutdown.timeout", "110000d",
                "breaker.worker.db.stop-timeout", "999999999999999999d",
                "breaker.worker.db.restart-window", "PT9999999999999999H",
                "breaker.default.timeout", "999999999999999999h",
                "breaker.request.timeout", "36501d",
                "breaker.worker.db.on-error", "explode")));
        List<String> problems = new ArrayList<>();
        s.validate(new DeploymentModel(List.of(), List.of()), problems::add);
        String atMost = ": expected at most 36500d (about 100 years)";
        assertTrue(problems.contains("BRKR004: invalid value '110000d' for breaker.shutdown.timeout" + atMost),
                problems::toString);
        assertTrue(problems.contains("BRKR004: invalid value '999999999999999999d' for breaker.worker.db.stop-timeout"
                + atMost), problems::toString);
        assertTrue(problems.contains("BRKR004: invalid value 'PT9999999999999999H' for"
                + " breaker.worker.db.restart-window" + atMost), problems::toString);
        assertTrue(problems.contains("BRKR004: invalid value '999999999999999999h' for breaker.default.timeout"
                + atMost), problems::toString);
        assertTrue(problems.contains("BRKR004: invalid value '36501d' for breaker.request.timeout" + atMost),
                problems::toString);
        assertEquals(6, problems.size(), problems::toString);
    }

    @Test
    void theLargestAcceptedShutdownTimeoutConvertsToNanos() {
        Settings s = new Settings(lookup(Map.of("breaker.shutdown.timeout", "36500d")));
        assertEquals(Duration.ofDays(36_500), s.shutdownTimeout());
        assertTrue(s.shutdownTimeout().toNanos() > 0); // no ArithmeticException, with room for nanoTime()
    }
}
