package dev.breaker.tck;

import dev.breaker.Breaker;
import dev.breaker.cdi.DependsOn;
import dev.breaker.cdi.Worker;
import dev.breaker.tck.fixtures.RecordingWorker;
import dev.breaker.tck.harness.Recorder;
import dev.breaker.tck.harness.Tck;
import dev.breaker.tck.harness.TckTest;
import dev.breaker.tck.spi.App;
import dev.breaker.worker.Routine;
import dev.breaker.worker.WorkerContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A worker can abort the application ({@code WorkerContext.current().abort(cause)}): every worker
 * stops (in order) and every breaker trips; during start, the deployment fails with BRKR012.
 */
public class AbortTest extends TckTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Worker
    public static class Storage extends RecordingWorker {
    }

    @Worker
    @DependsOn(Storage.class)
    public static class Watchdog extends RecordingWorker implements Routine {
        @Override
        public void run(Breaker stop) throws InterruptedException {
            Recorder.waitAtGate("abort", WAIT);
            WorkerContext.current().orElseThrow(() -> new AssertionError("no WorkerContext in a routine"))
                    .abort(new IllegalStateException("watchdog pulled the plug"));
            stop.await();
        }
    }

    @ApplicationScoped
    public static class Client {
        @Inject
        Breaker breaker;

        public Breaker breaker() { // through the client proxy: fields of a proxy are not the bean's
            return breaker;
        }
    }

    @Worker
    @DependsOn(Storage.class)
    public static class Quitter extends RecordingWorker {
        @Override
        protected void onStart() {
            WorkerContext.current().orElseThrow(() -> new AssertionError("no WorkerContext in @PostConstruct"))
                    .abort(new IllegalStateException("quitter quits"));
        }
    }

    @Test
    public void abortFromARoutineStopsEveryWorkerAndTripsEveryBreaker() throws InterruptedException {
        App app = Tck.deploy(Watchdog.class, Storage.class, Client.class);
        Client client = app.select(Client.class).get();
        Breaker breaker = client.breaker();
        Recorder.open("abort");
        assertTrue(Recorder.await("stop-end", "Storage", WAIT), "an abort must stop every worker");
        assertTrue(Recorder.seq("stop-end", "Watchdog") < Recorder.seq("stop-begin", "Storage"));
        assertTrue(breaker.await(WAIT), "an abort must trip the application's breakers");
        app.shutdown();
        assertEquals(1, Recorder.count("stop-end", "Storage"), "stopped twice");
    }

    @Test
    public void abortDuringStartFailsTheDeployment() {
        Tck.deployFailing(Quitter.class, Storage.class)
                .reports("BRKR012: the application was aborted while its workers were starting: "
                        + "java.lang.IllegalStateException: quitter quits");
        for (String w : Recorder.who("start-end")) {
            assertEquals(1, Recorder.count("stop-end", w), w + " started but was not stopped");
        }
    }
}
