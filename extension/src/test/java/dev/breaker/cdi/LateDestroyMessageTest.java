package dev.breaker.cdi;

import jakarta.annotation.PreDestroy;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * BRKR017: the shutdown deadline passes while a dependent's stop hangs, so the graph never begins
 * its dependency's stop; the container then destroys that worker itself, and the library says so
 * once, as a WARNING naming the worker, and runs its {@code @PreDestroy} on an abandoned thread.
 */
class LateDestroyMessageTest {
    static final CountDownLatch GATE = new CountDownLatch(1);
    static final CountDownLatch SLOW_DESTROY_BEGAN = new CountDownLatch(1);

    @Worker
    static class SlowToDestroy {
        @PreDestroy
        void stop() throws InterruptedException {
            SLOW_DESTROY_BEGAN.countDown();
            GATE.await(30, TimeUnit.SECONDS);
        }
    }

    @Worker
    @DependsOn(SlowToDestroy.class)
    static class HoldsTheDeadline {
        @PreDestroy
        void stop() throws InterruptedException {
            GATE.await(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aWorkerDestroyedByTheContainerAfterTheDeadlineIsSaidOnce() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        LogCapture capture = new LogCapture(log);
        try (TestConfig config = TestConfig.of("breaker.worker.holds-the-deadline.stop-timeout", "60s",
                "breaker.shutdown.timeout", "300ms");
             WeldContainer container = Containers.weld(SlowToDestroy.class, HoldsTheDeadline.class).initialize()) {
            assertTrue(container.isRunning());
        } finally {
            try {
                assertTrue(SLOW_DESTROY_BEGAN.await(10, TimeUnit.SECONDS), "the container's destruction never began");
            } finally {
                GATE.countDown();
                capture.close();
            }
        }
        List<String> brkr017 = log.stream().filter(w -> w.startsWith("BRKR017: ")).toList();
        assertEquals(1, brkr017.size(), "one BRKR017: " + log);
        assertTrue(brkr017.get(0).startsWith("BRKR017: worker 'slow-to-destroy' was not stopped within breaker.shutdown.timeout;"),
                brkr017.get(0));
    }
}
