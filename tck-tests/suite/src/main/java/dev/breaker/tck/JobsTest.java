package dev.breaker.tck;

import dev.breaker.cdi.Worker;
import dev.breaker.tck.fixtures.RecordingWorker;
import dev.breaker.tck.harness.Recorder;
import dev.breaker.tck.harness.Tck;
import dev.breaker.tck.harness.TckTest;
import dev.breaker.tck.spi.App;
import jakarta.enterprise.inject.Instance;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jobs submitted before shutdown run to completion before the workers stop; jobs submitted once
 * shutdown has begun are rejected. Needs a {@code dev.breaker.worker.JobRunner} bean; the test is
 * skipped, saying so, when the extension exposes none (looked up by name so the suite compiles
 * against a library without it).
 */
public class JobsTest extends TckTest {

    @Worker
    public static class Database extends RecordingWorker {
    }

    @Test
    public void jobsInFlightAreDrainedBeforeWorkersStopAndLateJobsAreRejected() throws Exception {
        App app = Tck.deploy(Database.class);
        Object runner = jobRunner(app);
        Method submit = runner.getClass().getMethod("submit", Callable.class);
        submit.setAccessible(true);
        Callable<String> job = () -> {
            Recorder.record("job-begin", "job");
            Thread.sleep(400); // simulated work
            Recorder.record("job-end", "job");
            return "done";
        };
        CompletableFuture<?> inFlight = (CompletableFuture<?>) submit.invoke(runner, job);
        assertTrue(Recorder.await("job-begin", "job", java.time.Duration.ofSeconds(10)));
        app.shutdown();
        assertEquals("done", inFlight.get(10, TimeUnit.SECONDS));
        assertTrue(Recorder.seq("job-end", "job") < Recorder.seq("stop-begin", "Database"),
                "the job in flight must complete before the workers stop");
        Throwable late = assertThrows(Throwable.class, () -> {
            CompletableFuture<?> f = (CompletableFuture<?>) submit.invoke(runner, job);
            f.get(10, TimeUnit.SECONDS);
        });
        assertTrue(late != null);
        assertEquals(1, Recorder.count("job-begin", "job"), "a job submitted after shutdown must not run");
    }

    private static Object jobRunner(App app) {
        Class<?> type;
        try {
            type = Class.forName("dev.breaker.worker.JobRunner", false, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException e) {
            Assumptions.abort("the library has no dev.breaker.worker.JobRunner");
            return null;
        }
        Instance<?> runners = app.select(type);
        Assumptions.assumeTrue(runners.isResolvable(),
                "the CDI extension exposes no JobRunner bean, so jobs cannot be tested through CDI");
        return runners.get();
    }
}
