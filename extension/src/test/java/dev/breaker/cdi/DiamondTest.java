package dev.breaker.cdi;

import dev.breaker.worker.WorkerContext;
import dev.breaker.worker.WorkerEvent;
import dev.breaker.worker.WorkerState;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A diamond of four workers: {@code top} declares {@code @DependsOn(Left, Right)}, and
 * {@code left} and {@code right} inject {@code bottom} (implicit dependencies). Nothing injects
 * {@code top}, yet it starts.
 */
class DiamondTest {
    static final List<WorkerEvent> EVENTS = new CopyOnWriteArrayList<>();

    @Worker
    static class Bottom {
        volatile boolean alive;

        @PostConstruct
        void start() {
            alive = true;
            Recorder.add("start:bottom");
        }

        @PreDestroy
        void stop() {
            alive = false;
            Recorder.add("stop:bottom");
        }

        boolean alive() {
            return alive;
        }
    }

    @Worker
    static class Left {
        @Inject
        Bottom bottom;

        @PostConstruct
        void start() {
            Recorder.add("start:left");
        }

        @PreDestroy
        void stop() {
            Recorder.add("bottom alive in left.stop:" + bottom.alive());
            Recorder.add("context in left.stop:" + WorkerContext.current().map(WorkerContext::name).orElse("none"));
            Recorder.add("stop:left");
        }
    }

    @Worker
    static class Right {
        private final Instance<Bottom> bottom;

        @Inject
        Right(Instance<Bottom> bottom) {
            this.bottom = bottom;
        }

        @PostConstruct
        void start() {
            Recorder.add("start:right");
        }

        @PreDestroy
        void stop() {
            Recorder.add("bottom alive in right.stop:" + bottom.get().alive());
            Recorder.add("stop:right");
        }
    }

    @Worker
    @DependsOn({Left.class, Right.class})
    static class Top {
        @PostConstruct
        void start() {
            Recorder.add("start:top");
        }

        @PreDestroy
        void stop() {
            Recorder.add("stop:top");
        }
    }

    @Dependent
    static class EventLog {
        void on(@Observes WorkerEvent event) {
            EVENTS.add(event);
        }
    }

    @BeforeEach
    void clear() {
        Recorder.LOG.clear();
        EVENTS.clear();
    }

    @Test
    void startsInDependencyOrderAndStopsInReverse() {
        try (TestConfig config = TestConfig.of();
             WeldContainer container = Containers.weld(Bottom.class, Left.class, Right.class, Top.class,
                     EventLog.class).initialize()) {
            assertEquals(4, Recorder.LOG.size(), () -> "all four started at boot: " + Recorder.LOG);
        }
        Recorder.assertEdge("top", "left");
        Recorder.assertEdge("top", "right");
        Recorder.assertEdge("left", "bottom");
        Recorder.assertEdge("right", "bottom");
        assertEquals(1, Recorder.LOG.stream().filter("stop:bottom"::equals).count(), "destroyed once");
    }

    @Test
    void preDestroySeesItsDependenciesAliveAndItsWorkerContext() {
        try (TestConfig config = TestConfig.of();
             WeldContainer container = Containers.weld(Bottom.class, Left.class, Right.class, Top.class)
                     .initialize()) {
            assertTrue(Recorder.LOG.contains("start:top"));
        }
        assertTrue(Recorder.LOG.contains("bottom alive in left.stop:true"), Recorder.LOG::toString);
        assertTrue(Recorder.LOG.contains("bottom alive in right.stop:true"), Recorder.LOG::toString);
        assertTrue(Recorder.LOG.contains("context in left.stop:left"), Recorder.LOG::toString);
    }

    @Test
    void everyTransitionIsACdiEvent() {
        try (TestConfig config = TestConfig.of();
             WeldContainer container = Containers.weld(Bottom.class, Left.class, Right.class, Top.class,
                     EventLog.class).initialize()) {
            assertTrue(Recorder.LOG.contains("start:top"));
        }
        for (String worker : List.of("bottom", "left", "right", "top")) {
            for (WorkerState to : List.of(WorkerState.STARTING, WorkerState.RUNNING, WorkerState.STOPPING,
                    WorkerState.STOPPED)) {
                assertTrue(EVENTS.stream().anyMatch(e -> e.worker().equals(worker) && e.to() == to),
                        () -> worker + " -> " + to + " missing in " + EVENTS);
            }
        }
    }
}
