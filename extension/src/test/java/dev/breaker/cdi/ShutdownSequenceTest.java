package dev.breaker.cdi;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;
import dev.breaker.worker.JobRunner;
import jakarta.annotation.PreDestroy;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code breaker.shutdown.readiness-delay} and {@link ShutdownSequence}: readiness DOWN from the
 * announcement, workers and breakers untouched until the delay has passed, then the usual stop.
 * Real time, with a short delay and one-sided bounds (never sooner than the delay).
 */
class ShutdownSequenceTest {
    static final Duration DELAY = Duration.ofMillis(300);
    static volatile long announcedAt;

    @Worker
    static class Store {
        @PreDestroy
        void stop() {
            Recorder.add("stop:store after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - announcedAt) + " ms");
        }
    }

    @BeforeEach
    void clear() {
        Recorder.LOG.clear();
    }

    private static HealthCheck readiness(WeldContainer c) {
        return c.select(HealthCheck.class, Readiness.Literal.INSTANCE).get();
    }

    private static long stopMillis() {
        assertEquals(1, Recorder.LOG.size(), Recorder.LOG::toString);
        String entry = Recorder.LOG.get(0);
        return Long.parseLong(entry.replaceAll("\\D+", " ").trim());
    }

    @Test
    void announcedReadinessIsDownWhileEverythingElseGoesOnUntilTheDelayHasPassed() throws Exception {
        try (TestConfig config = TestConfig.of("breaker.shutdown.readiness-delay", DELAY.toMillis() + "ms")) {
            WeldContainer c = Containers.weld(Store.class).initialize();
            ShutdownSequence shutdown = c.select(ShutdownSequence.class).get();
            HealthCheck readiness = readiness(c);
            Breaker breaker = c.select(Breaker.class).get();
            assertEquals(HealthCheckResponse.Status.UP, readiness.call().getStatus());
            assertFalse(shutdown.isAnnounced());

            announcedAt = System.nanoTime();
            shutdown.announce("SIGTERM");
            HealthCheckResponse down = readiness.call();
            assertEquals(HealthCheckResponse.Status.DOWN, down.getStatus(), "DOWN at the announcement");
            assertEquals("announced", down.getData().orElseThrow().get("shutdown"));
            assertEquals("RUNNING", down.getData().orElseThrow().get("store"), "the worker still runs");
            assertFalse(breaker.isBroken(), "no breaker trips during the delay");
            assertEquals(42, c.select(JobRunner.class).get().submit(() -> 42).get(10, TimeUnit.SECONDS),
                    "jobs are still accepted during the delay");
            assertTrue(Recorder.LOG.isEmpty(), Recorder.LOG::toString);

            shutdown.awaitReadinessDelay();
            assertTrue(System.nanoTime() - announcedAt >= DELAY.toNanos(), "the delay runs from the announcement");
            shutdown.stopWorkers("SIGTERM");
            assertTrue(breaker.isBroken());
            assertEquals(BreakReason.Kind.SHUTDOWN, breaker.reason().orElseThrow().root().kind());
            assertEquals("begun", readiness.call().getData().orElseThrow().get("shutdown"));
            assertTrue(stopMillis() >= DELAY.toMillis(), Recorder.LOG::toString);

            shutdown.stopWorkers("again");
            c.shutdown();
        }
        assertEquals(1, Recorder.LOG.size(), "stopped once, whatever asked again: " + Recorder.LOG);
    }

    @Test
    void theContainersShutdownWaitsForTheDelayWithReadinessDown() throws Exception {
        try (TestConfig config = TestConfig.of("breaker.shutdown.readiness-delay", DELAY.toMillis() + "ms")) {
            WeldContainer c = Containers.weld(Store.class).initialize();
            HealthCheck readiness = readiness(c);
            ShutdownSequence shutdown = c.select(ShutdownSequence.class).get();
            announcedAt = System.nanoTime();
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(c::shutdown);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!shutdown.isAnnounced()) {
                assertTrue(System.nanoTime() < deadline, "the container's shutdown never announced");
                Thread.onSpinWait(); // bounded wait for the other thread's first step
            }
            if (!stopping.isDone()) {
                assertEquals(HealthCheckResponse.Status.DOWN, readiness.call().getStatus());
            }
            stopping.get(20, TimeUnit.SECONDS);
        }
        assertTrue(stopMillis() >= DELAY.toMillis(), "the worker stopped only after the delay: " + Recorder.LOG);
    }

    @Test
    void withoutADelayNothingChanges() throws Exception {
        try (TestConfig config = TestConfig.of()) {
            WeldContainer c = Containers.weld(Store.class).initialize();
            Breaker breaker = c.select(Breaker.class).get();
            announcedAt = System.nanoTime();
            c.shutdown();
            assertTrue(breaker.isBroken());
        }
        assertEquals(List.of("stop:store"), List.of(Recorder.LOG.get(0).replaceAll(" after.*", "")));
    }
}
