package dev.breaker.cdi;

import dev.breaker.Breaker;
import dev.breaker.worker.Routine;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-worker configuration and routines. */
class WorkerConfigTest {
    static volatile CountDownLatch running = new CountDownLatch(1);

    @Worker
    @Named("switched-off")
    static class Optional {
        @PostConstruct
        void start() {
            Recorder.add("start:switched-off");
        }
    }

    @Worker
    static class Poller implements Routine {
        @Override
        public void run(Breaker stop) throws Exception {
            Recorder.add("run:poller");
            running.countDown();
            stop.await();
            Recorder.add("routine end:poller");
        }

        @PreDestroy
        void stop() {
            Recorder.add("stop:poller");
        }
    }

    @BeforeEach
    void clear() {
        Recorder.LOG.clear();
        running = new CountDownLatch(1);
    }

    @Test
    void aDisabledWorkerIsNotStarted() {
        try (TestConfig config = TestConfig.of("breaker.worker.switched-off.enabled", "false");
             WeldContainer container = Containers.weld(Optional.class).initialize()) {
            assertFalse(Recorder.LOG.contains("start:switched-off"), Recorder.LOG::toString);
        }
    }

    @Test
    void aRoutineRunsUntilShutdown() throws Exception {
        try (TestConfig config = TestConfig.of("breaker.worker.poller.stop-timeout", "5s");
             WeldContainer container = Containers.weld(Poller.class).initialize()) {
            assertTrue(running.await(10, TimeUnit.SECONDS), "routine started");
        }
        assertTrue(Recorder.LOG.contains("routine end:poller"), Recorder.LOG::toString);
        assertTrue(Recorder.LOG.contains("stop:poller"), Recorder.LOG::toString);
    }
}
