package dev.breaker.sample;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 29: Ctrl-C ends {@code quarkus:dev}. The test runs dev mode as a developer does, from the
 * repository's Maven wrapper ({@code ./mvnw -pl quarkus-sample -am quarkus:dev}, the plugin named
 * in full so that the reactor's other modules need no prefix), in a process group of its own, and
 * sends SIGINT to the whole group as a terminal's Ctrl-C does: every process of the group must be
 * gone within 60 s. Before, the sample's own SIGINT handler stopped the application and dev mode
 * then waited for ever, every later signal answered with "already shutting down".
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "POSIX process groups and signals")
class DevModeCtrlCIT {

    @Test
    void ctrlCEndsDevMode() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path work = Files.createDirectories(Path.of(System.getProperty("sample.work.dir", "target/it")).toAbsolutePath());
        Path log = Files.createTempFile(work, "DevModeCtrlCIT-", ".log");
        int port = Haproxy.freePort();
        // env --default-signal: started from a background script, this JVM may have SIGINT ignored,
        // and dev mode would inherit that; a terminal's Ctrl-C reaches processes whose SIGINT is the default
        List<String> cmd = List.of("setsid", "env", "--default-signal=INT,TERM", root.resolve("mvnw").toString(), "-B", "-f", root.resolve("pom.xml").toString(),
                "-pl", "quarkus-sample", "-am",
                "io.quarkus.platform:quarkus-maven-plugin:" + System.getProperty("sample.quarkus.version", "3.37.4") + ":dev",
                "-Dquarkus.http.port=" + port, "-Dquarkus.console.enabled=false", "-Ddebug=false",
                "-Dquarkus.datasource.jdbc.url=jdbc:h2:mem:devmode;DB_CLOSE_DELAY=-1");
        Process mvn = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        long pgid = mvn.pid(); // setsid and env exec in place: this pid leads the new group
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
            while (!Files.readString(log).contains("Listening on:")) {
                if (!mvn.isAlive() || System.nanoTime() > end) {
                    fail("dev mode did not start (alive: " + mvn.isAlive() + "); log: " + log + "\n" + tail(log));
                }
                Thread.sleep(200);
            }
            long t0 = System.nanoTime();
            signalGroup("INT", pgid);
            boolean exited = mvn.waitFor(60, TimeUnit.SECONDS);
            long groupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (exited && groupAlive(pgid) && System.nanoTime() < groupEnd) {
                Thread.sleep(100); // the dev-mode JVM may outlive the wrapper by a moment
            }
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            System.out.println("Ctrl-C ended quarkus:dev in " + ms + " ms (exit " + (exited ? mvn.exitValue() : "none") + ")");
            assertTrue(exited, "quarkus:dev still runs 60 s after SIGINT; log: " + log + "\n" + tail(log));
            assertFalse(groupAlive(pgid), "a process of the dev-mode group outlived Ctrl-C; log: " + log);
        } finally {
            if (groupAlive(pgid)) {
                signalGroup("KILL", pgid);
            }
        }
    }

    private static void signalGroup(String signal, long pgid) throws Exception {
        new ProcessBuilder("kill", "-" + signal, "--", "-" + pgid).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
    }

    private static boolean groupAlive(long pgid) throws Exception {
        Process p = new ProcessBuilder("pgrep", "-g", Long.toString(pgid)).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }

    private static String tail(Path log) throws Exception {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
