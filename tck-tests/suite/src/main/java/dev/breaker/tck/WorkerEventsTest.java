package dev.breaker.tck;

import dev.breaker.cdi.DependsOn;
import dev.breaker.cdi.Worker;
import dev.breaker.tck.fixtures.RecordingWorker;
import dev.breaker.tck.harness.Recorder;
import dev.breaker.tck.harness.Tck;
import dev.breaker.tck.harness.TckTest;
import dev.breaker.tck.spi.App;
import dev.breaker.worker.WorkerEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every worker state change is a CDI event applications can observe. */
public class WorkerEventsTest extends TckTest {

    @ApplicationScoped
    public static class Watcher {
        void on(@Observes WorkerEvent event) {
            Recorder.record(event.from() + "->" + event.to(), event.worker());
        }
    }

    @Worker
    public static class Alpha extends RecordingWorker {
    }

    @Worker
    @DependsOn(Alpha.class)
    public static class Failing extends RecordingWorker {
        @Override
        protected void onStart() {
            throw new IllegalStateException("no");
        }
    }

    @Test
    public void startAndStopAreObservable() {
        App app = Tck.deploy(Watcher.class, Alpha.class);
        assertEquals(List.of("NEW->STARTING", "STARTING->RUNNING"), transitions("alpha"));
        assertTrue(Recorder.seq("start-end", "Alpha") < Recorder.seq("STARTING->RUNNING", "alpha"));
        app.shutdown();
        assertEquals(List.of("NEW->STARTING", "STARTING->RUNNING", "RUNNING->STOPPING", "STOPPING->STOPPED"),
                transitions("alpha"));
        assertTrue(Recorder.seq("RUNNING->STOPPING", "alpha") < Recorder.seq("stop-begin", "Alpha"));
    }

    @Test
    public void aFailedStartIsObservable() {
        Tck.deployFailing(Watcher.class, Alpha.class, Failing.class);
        assertEquals(List.of("NEW->STARTING", "STARTING->FAILED"), transitions("failing"));
        assertEquals(List.of("NEW->STARTING", "STARTING->RUNNING", "RUNNING->STOPPING", "STOPPING->STOPPED"),
                transitions("alpha"), "the started part is rolled back");
    }

    private static List<String> transitions(String worker) {
        return Recorder.entries().stream().filter(e -> e.who().equals(worker)).map(Recorder.Entry::what).toList();
    }
}
