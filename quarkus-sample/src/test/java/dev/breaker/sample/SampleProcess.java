package dev.breaker.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged application ({@code quarkus-run.jar}) in a process of its own, listening on a free
 * loopback port, its output copied to a log file and kept as lines.
 */
final class SampleProcess implements AutoCloseable {
    static final Duration START_WITHIN = Duration.ofSeconds(90);

    final Process process;
    final Path log;
    final List<String> lines = new CopyOnWriteArrayList<>();
    private final CompletableFuture<String> listening = new CompletableFuture<>();
    final CompletableFuture<Void> outputDone = new CompletableFuture<>();
    private int port;

    private SampleProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        Thread reader = new Thread(this::pump, "app-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts the jar in {@code workDir} with {@code -Dkey=value} for each setting; returns once it listens. */
    static SampleProcess start(Path workDir, String name, Map<String, String> config) throws Exception {
        Path jar = Path.of(System.getProperty("sample.runner.jar", "target/quarkus-app/quarkus-run.jar"));
        assertTrue(Files.isRegularFile(jar), jar + " is missing: run `mvn verify` (it packages first)");
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=0",
                "-Dsample.metrics.host=127.0.0.1", "-Dsample.metrics.port=0")); // a setting in config comes later and wins
        config.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(jar.toAbsolutePath().toString());
        Files.createDirectories(workDir);
        Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true).start();
        SampleProcess app = new SampleProcess(p, workDir.resolve(name + ".log"));
        String line;
        try {
            line = app.listening.get(START_WITHIN.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            app.close();
            String error = app.lines.stream().filter(l -> l.contains(" ERROR ")).findFirst().orElse("no ERROR line");
            throw new AssertionError("the application did not start; log: " + app.log + " (" + error + ")", e);
        }
        Matcher m = Pattern.compile("Listening on: http://[^:]+:(\\d+)").matcher(line);
        assertTrue(m.find(), line);
        app.port = Integer.parseInt(m.group(1));
        return app;
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(log), true)) {
            for (String line; (line = in.readLine()) != null; ) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
                out.println(line);
                if (line.contains("Listening on:")) {
                    listening.complete(line);
                }
            }
        } catch (IOException e) {
            listening.completeExceptionally(e);
        } finally {
            listening.completeExceptionally(new IllegalStateException("the application exited before listening; see " + log));
            synchronized (lines) {
                outputDone.complete(null);
                lines.notifyAll();
            }
        }
    }

    /**
     * The {@code n}-th (from 1) line of output matching {@code p}, waited for: woken by the output
     * reader at each line; fails after {@code within}, or once the output has ended without it.
     */
    java.util.regex.Matcher awaitMatch(Pattern p, int n, Duration within) throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        synchronized (lines) {
            while (true) {
                int seen = 0;
                for (String line : lines) {
                    java.util.regex.Matcher m = p.matcher(line);
                    if (m.find() && ++seen == n) {
                        return m;
                    }
                }
                if (outputDone.isDone()) {
                    throw new AssertionError("the output ended without line #" + n + " matching " + p + "; log: " + log);
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no line #" + n + " matching " + p + " within " + within + "; log: " + log);
                }
                TimeUnit.NANOSECONDS.timedWait(lines, left);
            }
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    int port() {
        return port;
    }

    int indexOf(String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }

    /** The first group of {@code pattern} in the first line that matches it, if any. */
    String find(Pattern pattern) {
        for (String line : lines) {
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                return m.group(1);
            }
        }
        return null;
    }

    /**
     * SIGTERM to this process alone. Not {@code Process.destroy()}: that sends SIGTERM too but
     * also closes our end of the output pipe, so the shutdown log would be lost.
     */
    void sigterm() {
        assertTrue(process.toHandle().destroy(), "could not send SIGTERM to " + process.pid());
    }

    /** SIGINT (a terminal's Ctrl-C) to this process alone. */
    void sigint() throws Exception {
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "could not send SIGINT to " + process.pid());
    }

    /** SIGKILL: no shutdown hook, no flush, nothing. */
    void kill9() throws InterruptedException {
        process.toHandle().destroyForcibly();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "SIGKILL did not end " + process.pid());
    }

    /** Waits for the exit (bounded) and for the last line of output; returns the exit code. */
    int awaitExit(Duration within) throws Exception {
        assertTrue(process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS),
                "the application did not exit within " + within + "; log: " + log);
        outputDone.get(10, TimeUnit.SECONDS);
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
