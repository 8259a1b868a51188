package dev.breaker.tck;

import dev.breaker.cdi.Worker;
import dev.breaker.tck.fixtures.RecordingWorker;
import dev.breaker.tck.harness.Recorder;
import dev.breaker.tck.harness.Tck;
import dev.breaker.tck.harness.TckTest;
import dev.breaker.tck.spi.App;
import dev.breaker.worker.JobRunner;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code @Inject JobRunner}: a job in flight when shutdown begins runs to completion before any
 * worker stops; a job submitted once shutdown has begun is rejected and never runs.
 */
public class JobsTest extends TckTest {

    @Worker
    public static class Database extends RecordingWorker {
    }

    @ApplicationScoped
    public static class Submitter {
        @Inject
        JobRunner jobs;

        JobRunner jobs() { // through the client proxy: fields of a proxy are not the bean's
            return jobs;
        }

        CompletableFuture<String> submit() {
            return jobs.submit(() -> {
                Recorder.record("job-begin", "job");
                Thread.sleep(400); // simulated work
                Recorder.record("job-end", "job");
                return "done";
            });
        }
    }

    @Test
    public void jobsInFlightAreDrainedBeforeWorkersStopAndLateJobsAreRejected() throws Exception {
        App app = Tck.deploy(Database.class, Submitter.class);
        Submitter submitter = app.select(Submitter.class).get();
        CompletableFuture<String> inFlight = submitter.submit();
        assertTrue(Recorder.await("job-begin", "job", Duration.ofSeconds(10)), "the job never ran");
        JobRunner runner = submitter.jobs();
        app.shutdown();
        assertEquals("done", inFlight.get(10, TimeUnit.SECONDS));
        assertTrue(Recorder.seq("job-end", "job") < Recorder.seq("stop-begin", "Database"),
                "the job in flight must complete before the workers stop");
        assertThrows(RejectedExecutionException.class, () -> runner.submit(() -> {
            Recorder.record("job-begin", "late");
            return "late";
        }));
        assertEquals(0, Recorder.count("job-begin", "late"), "a job submitted after shutdown must not run");
    }
}
