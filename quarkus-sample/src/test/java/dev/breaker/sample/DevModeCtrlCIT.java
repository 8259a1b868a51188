package dev.breaker.sample;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
                "-Dquarkus.http.port=" + port, "-Dsample.metrics.port=0", "-Dquarkus.console.enabled=false", "-Ddebug=false",
                "-Dquarkus.datasource.jdbc.url=jdbc:h2:mem:devmode;DB_CLOSE_DELAY=-1");
        Process mvn = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true).start();
        long pgid = mvn.pid(); // setsid and env exec in place: this pid leads the new group
        CompletableFuture<Void> listening = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(mvn.getInputStream(), StandardCharsets.UTF_8));
                 PrintWriter out = new PrintWriter(Files.newBufferedWriter(log), true)) {
                for (String line; (line = in.readLine()) != null; ) {
                    out.println(line);
                    if (line.contains("Listening on:")) {
                        listening.complete(null);
                    }
                }
            } catch (IOException e) {
                listening.completeExceptionally(e);
            } finally {
                listening.completeExceptionally(new IllegalStateException("dev mode's output ended before it listened"));
            }
        }, "dev-mode-output");
        reader.setDaemon(true);
        reader.start();
        try {
            try {
                listening.get(300, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                fail("dev mode did not start (alive: " + mvn.isAlive() + ", " + e + "); log: " + log + "\n" + tail(log));
            }
            devUiShowsTheWorkers(port, log);
            List<ProcessHandle> group = groupMembers(pgid); // the wrapper, Maven and the dev-mode JVM
            long t0 = System.nanoTime();
            signalGroup("INT", pgid);
            boolean exited = mvn.waitFor(60, TimeUnit.SECONDS);
            if (exited) {
                // the dev-mode JVM may outlive the wrapper by a moment: wait for each member's exit, bounded
                try {
                    CompletableFuture.allOf(group.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new))
                            .get(10, TimeUnit.SECONDS);
                } catch (TimeoutException stillThere) {
                    // asserted below, naming the group
                }
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

    /**
     * The extension's Dev UI card: its two pages are listed (worker states through readiness, the
     * graph), and the graph page's route answers the sample's three workers and their edges.
     */
    private static void devUiShowsTheWorkers(int port, Path log) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.util.function.Function<String, String> get = path -> {
            try {
                return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + path))
                                .timeout(java.time.Duration.ofSeconds(30)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            } catch (Exception e) {
                throw new AssertionError("GET " + path + ": " + e + "; log: " + log, e);
            }
        };
        String data = get.apply("/q/dev-ui/devui-data.js");
        assertTrue(data.contains("\"title\":\"Workers and readiness\"") && data.contains("\"externalUrl\":\"/q/health/ready\""),
                "the Dev UI lists the card's readiness page");
        assertTrue(data.contains("\"title\":\"Worker graph (Mermaid)\"") && data.contains("\"externalUrl\":\"/q/breaker/graph\""),
                "the Dev UI lists the card's graph page");
        String graph = get.apply("/q/breaker/graph");
        assertTrue(graph.startsWith("flowchart"), graph);
        for (String line : List.of("w0[\"intake\"]", "w1[\"pipeline\"]", "w2[\"store\"]", "w0 --> w1", "w0 --> w2", "w1 --> w2")) {
            assertTrue(graph.contains(line), "graph has " + line + ":\n" + graph);
        }
        String ready = get.apply("/q/health/ready");
        for (String worker : List.of("intake", "pipeline", "store")) {
            assertTrue(java.util.regex.Pattern.compile("\"" + worker + "\"\\s*:\\s*\"RUNNING\"").matcher(ready).find(),
                    worker + " RUNNING in " + ready);
        }
    }

    private static void signalGroup(String signal, long pgid) throws Exception {
        new ProcessBuilder("kill", "-" + signal, "--", "-" + pgid).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
    }

    /** The processes of group {@code pgid} now. */
    private static List<ProcessHandle> groupMembers(long pgid) throws Exception {
        Process p = new ProcessBuilder("pgrep", "-g", Long.toString(pgid)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out.lines().map(String::trim).filter(l -> !l.isEmpty())
                .map(l -> ProcessHandle.of(Long.parseLong(l))).flatMap(java.util.Optional::stream).toList();
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
