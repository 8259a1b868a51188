package dev.breaker.sample;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 29 on the packaged sample: a second SIGTERM while the shutdown sequence runs (here held in
 * a 60 s readiness delay) ends the process at once with 143, saying which step had not finished;
 * before, every later signal was swallowed with "already shutting down". And the first SIGINT
 * (Ctrl-C) runs the whole sequence and exits 0, as SIGTERM does ({@code ShutdownSequenceIT}),
 * with nothing in the sample but the extension's dependency.
 */
class SecondSignalIT {
    private SampleProcess app;

    @AfterEach
    void kill() {
        if (app != null) {
            app.close();
        }
    }

    /** Waits, bounded, for a line of the application's output (woken by its output reader). */
    private void awaitLine(String text) throws InterruptedException {
        app.awaitMatch(java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(text)), 1, Duration.ofSeconds(30));
    }

    @Test
    void aSecondSigtermDuringTheSequenceHaltsAtOnce() throws Exception {
        Path work = Files.createDirectories(Path.of(System.getProperty("sample.work.dir", "target/it")));
        Path dir = Files.createTempDirectory(work, "SecondSignalIT-");
        app = SampleProcess.start(dir, "app", Map.of("breaker.shutdown.readiness-delay", "60s"));
        awaitLine("BRKR032"); // the extension's handlers are installed
        app.sigterm();
        awaitLine("BRKR033: SIGTERM received"); // the first signal, logged
        assertTrue(app.process.isAlive(), "the first SIGTERM waits for the 60 s delay");
        java.util.concurrent.CompletableFuture<Long> exitedAt = app.process.onExit().thenApply(p -> System.nanoTime());
        long t0 = System.nanoTime();
        app.sigterm();
        int status = app.awaitExit(Duration.ofSeconds(10));
        long ms = TimeUnit.NANOSECONDS.toMillis(exitedAt.get(10, TimeUnit.SECONDS) - t0); // waits for the exit's time
        assertTrue(ms >= 0, "measured " + ms + " ms");
        System.out.println("second SIGTERM: the sample ended " + ms + " ms after it, status " + status);
        assertTrue(ms < 1_000, "took " + ms + " ms");
        assertEquals(143, status);
        assertTrue(app.indexOf("SIGTERM received again during the shutdown: halting now with status 143;"
                + " not finished: the readiness delay") >= 0, "the line naming the unfinished step");
    }

    @Test
    void ctrlCStopsInOrderAndExitsZero() throws Exception {
        Path work = Files.createDirectories(Path.of(System.getProperty("sample.work.dir", "target/it")));
        Path dir = Files.createTempDirectory(work, "SecondSignalIT-int-");
        app = SampleProcess.start(dir, "app", Map.of("breaker.shutdown.readiness-delay", "200ms"));
        awaitLine("BRKR032");
        app.sigint();
        int status = app.awaitExit(Duration.ofSeconds(60));
        assertEquals(0, status, "exit status after one SIGINT; log: " + dir);
        int announced = app.indexOf("BRKR033: SIGINT received");
        int intake = app.indexOf("worker 'intake' stopped");
        int store = app.indexOf("worker 'store' stopped");
        assertTrue(announced >= 0 && intake > announced && store > intake,
                "SIGINT, then the workers in reverse order (intake before store): " + announced + ", " + intake + ", " + store);
    }
}
