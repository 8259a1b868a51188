package dev.breaker.sample;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The promise of the sample, against the packaged application ({@code quarkus-run.jar}) in its
 * own process: SIGTERM in the middle of a stream of submissions loses none of the events that got
 * a 202, the process exits 0 within the shutdown budget, and the workers stop in the order
 * Intake, Pipeline, Store.
 */
class ShutdownIT {
    /** breaker.shutdown.timeout in application.properties: the whole ordered shutdown. */
    static final Duration SHUTDOWN_BUDGET = Duration.ofSeconds(20);
    static final Duration START_WITHIN = Duration.ofSeconds(60);
    static final int CLIENTS = 4;
    /** SIGTERM is sent once this many events have been accepted. */
    static final int ACCEPTED_BEFORE_SIGTERM = 1000;

    private final List<App> apps = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        apps.forEach(App::kill);
    }

    @Test
    void sigtermMidStreamLosesNoAcceptedEvent() throws Exception {
        Path work = Files.createDirectories(Path.of(System.getProperty("sample.work.dir", "target/it")));
        Path dir = Files.createTempDirectory(work, "shutdown-");
        String db = "jdbc:h2:file:" + dir.resolve("events").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE";
        // a slow transform (3 ms per event, one routine thread) so a backlog builds up to drain
        Map<String, String> config = Map.of(
                "quarkus.datasource.jdbc.url", db,
                "sample.pipeline.work-per-event", "3ms",
                "sample.pipeline.batch-size", "50");

        App first = start(dir.resolve("first.log"), config);
        assertStartedInDependencyOrder(first);

        // clients submit until the service turns them away
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        AtomicInteger unknown = new AtomicInteger();     // no answer: queued or not, we cannot know
        AtomicInteger refused = new AtomicInteger();     // 503
        List<String> unexpected = new CopyOnWriteArrayList<>();
        AtomicBoolean sigtermSent = new AtomicBoolean();
        CountDownLatch enough = new CountDownLatch(ACCEPTED_BEFORE_SIGTERM);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            clients.add(pool.submit(() -> {
                for (int n = 0; ; n++) {
                    HttpRequest post = HttpRequest.newBuilder(first.uri("/events"))
                            .timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"payload\": \"client " + client + " event " + n + "\"}"))
                            .build();
                    HttpResponse<String> r;
                    try {
                        r = http.send(post, HttpResponse.BodyHandlers.ofString());
                    } catch (IOException e) {
                        if (!sigtermSent.get()) {
                            unexpected.add("I/O error before SIGTERM: " + e);
                        }
                        unknown.incrementAndGet();
                        return null;
                    }
                    if (r.statusCode() == 202) {
                        Matcher m = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"").matcher(r.body());
                        if (!m.find()) {
                            unexpected.add("202 without id: " + r.body());
                            return null;
                        }
                        accepted.add(m.group(1));
                        enough.countDown();
                    } else if (r.statusCode() == 503 && sigtermSent.get()) {
                        refused.incrementAndGet();
                        return null; // the service said: go elsewhere
                    } else {
                        unexpected.add(r.statusCode() + " " + r.body());
                        return null;
                    }
                }
            }));
        }

        assertTrue(enough.await(60, TimeUnit.SECONDS), "clients got " + accepted.size() + " events accepted in 60 s; "
                + unexpected);
        sigtermSent.set(true);
        long t0 = System.nanoTime();
        first.sigterm();
        boolean exited = first.process.waitFor(SHUTDOWN_BUDGET.toMillis(), TimeUnit.MILLISECONDS);
        long stopMs = (System.nanoTime() - t0) / 1_000_000;
        for (Future<?> f : clients) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        first.outputDone.get(10, TimeUnit.SECONDS);
        System.out.printf("ShutdownIT: accepted %d, refused (503) %d, unanswered %d; exit %s after %d ms%n",
                accepted.size(), refused.get(), unknown.get(), exited ? first.process.exitValue() : "none", stopMs);

        assertTrue(exited, "the service did not exit within " + SHUTDOWN_BUDGET + "; log: " + first.log);
        assertEquals(0, first.process.exitValue(), "exit code after SIGTERM; log: " + first.log);
        assertTrue(unexpected.isEmpty(), "unexpected answers: " + unexpected);
        assertStoppedInReverseOrder(first);
        assertTrue(first.lines.stream().noneMatch(l -> l.contains(" ERROR ") || l.contains("LOST")),
                "errors in the log: " + first.log);
        int drained = drainedOnStop(first);
        assertTrue(drained > 0, "the pipeline had nothing queued at SIGTERM, so draining was not tested");

        // the same database, a new process: everything that got a 202 is there
        App second = start(dir.resolve("second.log"), config);
        long count = count(http, second);
        System.out.printf("ShutdownIT: %d events persisted after restart (%d drained on stop)%n", count, drained);
        List<String> missing = new ArrayList<>();
        for (String id : accepted) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(second.uri("/events/" + id)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                missing.add(id + " -> " + r.statusCode());
            }
        }
        assertTrue(missing.isEmpty(), missing.size() + " accepted events are not persisted, e.g. "
                + missing.subList(0, Math.min(5, missing.size())));
        assertTrue(count >= accepted.size() && count <= accepted.size() + unknown.get(),
                "persisted " + count + ", accepted " + accepted.size() + ", unanswered " + unknown.get());

        second.sigterm();
        assertTrue(second.process.waitFor(SHUTDOWN_BUDGET.toMillis(), TimeUnit.MILLISECONDS), "second run did not exit");
        assertEquals(0, second.process.exitValue(), "second run exit code");
    }

    // ---- log checks --------------------------------------------------------------------------

    private static void assertStartedInDependencyOrder(App app) {
        int store = app.indexOf("Store started");
        int pipeline = app.indexOf("Pipeline started");
        int intake = app.indexOf("Intake started");
        int listening = app.indexOf("Listening on");
        assertTrue(store >= 0 && store < pipeline && pipeline < intake,
                "start order Store, Pipeline, Intake; log: " + app.log);
        assertTrue(intake < listening, "workers must start eagerly, before the HTTP server opens; log: " + app.log);
    }

    private static void assertStoppedInReverseOrder(App app) {
        int intakeStopping = app.indexOf("Intake stopping");
        int intakeStopped = app.indexOf("Intake stopped");
        int pipelineStopping = app.indexOf("Pipeline stopping");
        int pipelineStopped = app.indexOf("Pipeline stopped");
        int storeStopping = app.indexOf("Store stopping");
        int storeStopped = app.indexOf("Store stopped");
        assertTrue(intakeStopping >= 0 && intakeStopping < intakeStopped
                        && intakeStopped < pipelineStopping && pipelineStopping < pipelineStopped
                        && pipelineStopped < storeStopping && storeStopping < storeStopped,
                "stop order Intake -> Pipeline -> Store, each finished before the next begins; log: " + app.log);
        // and the extension's own log of the same, with durations
        int intake = app.indexOf("worker 'intake' stopped in");
        int pipeline = app.indexOf("worker 'pipeline' stopped in");
        int store = app.indexOf("worker 'store' stopped in");
        assertTrue(intake >= 0 && intake < pipeline && pipeline < store,
                "the extension's log shows the stop order Intake -> Pipeline -> Store; log: " + app.log);
    }

    /** Events the pipeline persisted after it was asked to stop (by its routine or its stop()). */
    private static int drainedOnStop(App app) {
        Pattern p = Pattern.compile("Pipeline (?:routine drained|flushed) (\\d+) queued events");
        int total = 0;
        boolean seen = false;
        for (String line : app.lines) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                total += Integer.parseInt(m.group(1));
                seen = true;
            }
        }
        assertTrue(seen, "no drain line in the log: " + app.log);
        return total;
    }

    private static long count(HttpClient http, App app) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(app.uri("/events/count")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        Matcher m = Pattern.compile("\"count\"\\s*:\\s*(\\d+)").matcher(r.body());
        assertTrue(m.find(), r.body());
        return Long.parseLong(m.group(1));
    }

    // ---- the application process -------------------------------------------------------------

    private App start(Path log, Map<String, String> config) throws Exception {
        Path jar = Path.of(System.getProperty("sample.runner.jar", "target/quarkus-app/quarkus-run.jar"));
        assertTrue(Files.isRegularFile(jar), jar + " is missing: run `mvn verify` (it packages first)");
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-Dquarkus.http.port=0"));
        config.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(jar.toAbsolutePath().toString());
        Process p = new ProcessBuilder(cmd).directory(log.getParent().toFile()).redirectErrorStream(true).start();
        App app = new App(p, log);
        apps.add(app);
        String listening = app.listening.get(START_WITHIN.toSeconds(), TimeUnit.SECONDS);
        Matcher m = Pattern.compile("Listening on: http://[^:]+:(\\d+)").matcher(listening);
        assertTrue(m.find(), listening);
        app.port = Integer.parseInt(m.group(1));
        return app;
    }

    static final class App {
        final Process process;
        final Path log;
        final List<String> lines = new CopyOnWriteArrayList<>();
        final CompletableFuture<String> listening = new CompletableFuture<>();
        final CompletableFuture<Void> outputDone = new CompletableFuture<>();
        volatile int port;

        App(Process process, Path log) {
            this.process = process;
            this.log = log;
            Thread reader = new Thread(this::pump, "app-output-" + process.pid());
            reader.setDaemon(true);
            reader.start();
        }

        /** Copies the process output to the log file and the line list; completes the futures. */
        private void pump() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 PrintWriter out = new PrintWriter(Files.newBufferedWriter(log), true)) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                    out.println(line);
                    if (line.contains("Listening on:")) {
                        listening.complete(line);
                    }
                }
            } catch (IOException e) {
                listening.completeExceptionally(e);
            } finally {
                listening.completeExceptionally(new IllegalStateException("the application exited before listening; see " + log));
                outputDone.complete(null);
            }
        }

        URI uri(String path) {
            return URI.create("http://localhost:" + port + path);
        }

        int indexOf(String text) {
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains(text)) {
                    return i;
                }
            }
            return -1;
        }

        /**
         * SIGTERM to this process alone. Not {@code Process.destroy()}: that sends SIGTERM too but
         * also closes our end of the output pipe, so the shutdown log would be lost.
         */
        void sigterm() {
            assertTrue(process.toHandle().destroy(), "could not send SIGTERM to " + process.pid());
        }

        void kill() {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }
}
