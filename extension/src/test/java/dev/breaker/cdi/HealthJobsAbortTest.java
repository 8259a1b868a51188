package dev.breaker.cdi;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;
import dev.breaker.worker.JobRunner;
import dev.breaker.worker.Routine;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Readiness and liveness checks, the application job runner, and a worker aborting the application. */
class HealthJobsAbortTest {
    static volatile HealthCheck readiness;

    @Worker
    static class Store {
        @PreDestroy
        void stop() {
            Recorder.add("stop:store readiness=" + readiness.call().getStatus());
        }
    }

    static final java.util.concurrent.atomic.AtomicReference<CountDownLatch> CRASH = new java.util.concurrent.atomic.AtomicReference<>();

    @Worker
    static class Crashing implements Routine {
        @Override
        public void run(Breaker stop) throws InterruptedException {
            CRASH.get().await(); // crash only once the test says so, after start() returned
            throw new IllegalStateException("disk full");
        }
    }

    @BeforeEach
    void clear() {
        Recorder.LOG.clear();
    }

    private static HealthCheck check(WeldContainer c, java.lang.annotation.Annotation kind) {
        Instance<HealthCheck> checks = c.select(HealthCheck.class, kind);
        assertTrue(checks.isResolvable(), "exactly one Breaker " + kind + " check");
        return checks.get();
    }

    @Test
    void readinessIsUpWhileRunningAndDownBeforeAnyWorkerStops() {
        try (TestConfig config = TestConfig.of()) {
            WeldContainer c = Containers.weld(Store.class).initialize();
            readiness = check(c, Readiness.Literal.INSTANCE);
            HealthCheckResponse up = readiness.call();
            assertEquals(HealthCheckResponse.Status.UP, up.getStatus());
            assertEquals("RUNNING", up.getData().orElseThrow().get("store"));
            assertEquals(HealthCheckResponse.Status.UP, check(c, Liveness.Literal.INSTANCE).call().getStatus());
            c.shutdown();
        }
        assertEquals(java.util.List.of("stop:store readiness=DOWN"), Recorder.LOG);
    }

    @Test
    void jobsInFlightDrainBeforeWorkersStopAndLateJobsAreRejected() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Object> job;
        JobRunner jobs;
        try (TestConfig config = TestConfig.of()) {
            WeldContainer c = Containers.weld(Store.class).initialize();
            readiness = check(c, Readiness.Literal.INSTANCE);
            jobs = c.select(JobRunner.class).get();
            job = jobs.submit(() -> {
                release.await(10, TimeUnit.SECONDS);
                Recorder.add("job:done");
                return null;
            });
            Breaker shutdownBegun = c.select(Breaker.class).get();
            CompletableFuture<Void> shutdown = CompletableFuture.runAsync(c::shutdown);
            assertTrue(shutdownBegun.await(Duration.ofSeconds(10)));
            assertEquals(BreakReason.Kind.SHUTDOWN, shutdownBegun.reason().orElseThrow().root().kind());
            JobRunner late = jobs;
            assertThrows(RejectedExecutionException.class, () -> late.submit(() -> 1));
            release.countDown();
            shutdown.get(20, TimeUnit.SECONDS);
        }
        job.get(1, TimeUnit.SECONDS);
        assertEquals(java.util.List.of("job:done", "stop:store readiness=DOWN"), Recorder.LOG);
    }

    @Test
    void aRoutineThatEscalatesAbortsTheApplication() throws Exception {
        try (TestConfig config = TestConfig.of()) {
            CRASH.set(new CountDownLatch(1));
            WeldContainer c = Containers.weld(Store.class, Crashing.class).initialize();
            try {
                CRASH.get().countDown();
                readiness = check(c, Readiness.Literal.INSTANCE);
                HealthCheck liveness = check(c, Liveness.Literal.INSTANCE);
                Breaker app = c.select(Breaker.class).get();
                assertTrue(app.await(Duration.ofSeconds(10)), "an abort trips the application's breakers");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (liveness.call().getStatus() == HealthCheckResponse.Status.UP) {
                    assertTrue(System.nanoTime() < deadline, "liveness never went DOWN");
                    Thread.onSpinWait(); // bounded wait for the graph's terminated() callback
                }
                HealthCheckResponse down = liveness.call();
                assertTrue(String.valueOf(down.getData().orElseThrow().get("aborted")).contains("disk full"),
                        down.getData().toString());
                assertEquals(HealthCheckResponse.Status.DOWN, readiness.call().getStatus());
                assertTrue(Recorder.LOG.contains("stop:store readiness=DOWN"), Recorder.LOG::toString);
            } finally {
                c.shutdown();
            }
        }
        assertEquals(1, Recorder.LOG.size(), "the container's shutdown stops nothing twice: " + Recorder.LOG);
    }
}
