package dev.breaker.cdi;

import dev.breaker.worker.WorkerContext;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10, item 4, without a JVM shutdown: the container shuts down (here as Weld's own shutdown
 * hook does it, from another thread) while a worker is starting. Its {@code @BeforeDestroyed} observer must
 * not wait for the monitor the start holds: it trips the start, which rolls back.
 */
@Timeout(60)
class ShutdownDuringStartTest {
    static final CountDownLatch READY = new CountDownLatch(1);

    @Worker
    static class Store {
        @PostConstruct
        void start() {
            Recorder.add("start:store");
        }

        @PreDestroy
        void stop() {
            Recorder.add("stop:store");
        }
    }

    @Worker
    @DependsOn(Store.class)
    static class Slow {
        @PostConstruct
        void start() {
            var breaker = WorkerContext.current().orElseThrow().breaker();
            READY.countDown();
            try {
                breaker.await(); // no start timeout: only a shutdown trips it
                Recorder.add("slow:start breaker tripped");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @PreDestroy
        void stop() {
            Recorder.add("stop:slow");
        }
    }

    @BeforeEach
    void clear() {
        Recorder.LOG.clear();
    }

    @Test
    void containerShutdownWhileAWorkerIsStartingRollsBackInsteadOfWaitingForTheStart() throws Exception {
        String id = "shutdown-during-start";
        Weld weld = Containers.weld(Store.class, Slow.class).skipShutdownHook().containerId(id);
        CompletableFuture<Throwable> boot = new CompletableFuture<>();
        Thread booting = new Thread(() -> {
            try (TestConfig config = TestConfig.of("breaker.shutdown.timeout", "20s")) {
                weld.initialize();
                boot.complete(null);
            } catch (Throwable t) {
                boot.complete(t);
            }
        }, "booting");
        booting.start();
        assertTrue(READY.await(30, TimeUnit.SECONDS), "slow never started");
        long t0 = System.nanoTime();
        // what Weld's own JVM shutdown hook does (weld.shutdown() knows only initialized containers)
        CompletableFuture<Void> shutdown = CompletableFuture.runAsync(() -> WeldContainer.instance(id).shutdown());
        shutdown.get(15, TimeUnit.SECONDS);
        Throwable failure = boot.get(15, TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "took " + took);
        assertTrue(failure != null, "the boot should fail: its start was cancelled");
        assertTrue(Recorder.LOG.contains("slow:start breaker tripped"), Recorder.LOG::toString);
        assertTrue(Recorder.LOG.contains("stop:store"), Recorder.LOG::toString);
        assertTrue(Recorder.indexOf("stop:slow") < Recorder.indexOf("stop:store"), Recorder.LOG::toString);
        booting.join(10_000);
        weld.shutdown(); // nothing left to shut down, as in StartFailureTest
    }
}
