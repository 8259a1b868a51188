package dev.breaker.tck;

import dev.breaker.cdi.DependsOn;
import dev.breaker.cdi.Worker;
import dev.breaker.tck.fixtures.RecordingWorker;
import dev.breaker.tck.harness.DeploymentFailed;
import dev.breaker.tck.harness.Recorder;
import dev.breaker.tck.harness.Tck;
import dev.breaker.tck.harness.TckTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A worker that fails to start fails the deployment with its error, after the workers already
 * started have been stopped (in reverse order); nothing that depends on it starts.
 */
public class StartFailureTest extends TckTest {
    private static final String P = StartFailureTest.class.getName() + "$";

    @Worker
    public static class Base extends RecordingWorker {
    }

    @Worker
    @DependsOn(Base.class)
    public static class Healthy extends RecordingWorker {
    }

    @Worker
    @DependsOn(Base.class)
    public static class Broken extends RecordingWorker {
        @Override
        protected void onStart() {
            throw new IllegalStateException("broken refuses to start");
        }
    }

    @Worker
    @DependsOn({Healthy.class, Broken.class})
    public static class Top extends RecordingWorker {
    }

    @Test
    public void startFailureRollsBackTheStartedPartAndFailsDeployment() {
        DeploymentFailed failure = Tck.deployFailing(Top.class, Healthy.class, Broken.class, Base.class);
        failure.reports("BRKR008: worker 'broken' (" + P + "Broken) failed to start: ")
                .reports("broken refuses to start");

        assertEquals(0, Recorder.count("start-begin", "Top"), "Top depends on Broken: it must never start");
        assertEquals(0, Recorder.count("start-end", "Broken"));
        // everything that finished starting was stopped, exactly once, dependants first
        List<String> started = Recorder.who("start-end");
        assertTrue(started.contains("Base"), () -> "Base starts first: " + Recorder.entries());
        for (String w : started) {
            assertEquals(1, Recorder.count("stop-end", w), () -> w + " started but was not stopped once: "
                    + Recorder.entries());
        }
        if (started.contains("Healthy")) {
            assertTrue(Recorder.seq("stop-end", "Healthy") < Recorder.seq("stop-begin", "Base"),
                    "Healthy must stop before Base");
        }
        assertEquals(0, Recorder.count("stop-begin", "Broken"), "a worker that never started is not stopped");
    }
}
