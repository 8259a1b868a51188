package dev.breaker.cdi;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import org.jboss.weld.environment.se.Weld;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A worker that fails to start fails the deployment, after the started workers were stopped. */
class StartFailureTest {

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
    static class Broken {
        @Inject
        Store store;

        @PostConstruct
        void start() {
            throw new IllegalStateException("no licence");
        }
    }

    @Worker
    @DependsOn(Broken.class)
    static class Never {
        @PostConstruct
        void start() {
            Recorder.add("start:never");
        }
    }

    @BeforeEach
    void clear() {
        Recorder.LOG.clear();
    }

    @Test
    void rollsBackAndFailsWithTheWorkersError() {
        Exception e;
        Weld weld = Containers.weld(Store.class, Broken.class, Never.class);
        try (TestConfig config = TestConfig.of()) {
            e = assertThrows(Exception.class, weld::initialize);
        } finally {
            weld.shutdown(); // Weld SE leaves a container whose @Initialized observer threw running
        }
        String messages = Containers.messages(e);
        DeploymentErrorsTest.assertContains(messages, "BRKR008: worker 'broken' ("
                + StartFailureTest.class.getName() + "$Broken) failed to start: java.lang.IllegalStateException: no licence");
        assertTrue(Recorder.LOG.contains("stop:store"), Recorder.LOG::toString);
        assertTrue(Recorder.indexOf("start:store") < Recorder.indexOf("stop:store"));
        assertEquals(1, Recorder.LOG.stream().filter("stop:store"::equals).count(), Recorder.LOG::toString);
        assertFalse(Recorder.LOG.contains("start:never"), Recorder.LOG::toString);
    }
}
