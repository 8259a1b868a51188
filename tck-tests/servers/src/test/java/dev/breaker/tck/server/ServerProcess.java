package dev.breaker.tck.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
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
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A server started as a child process, its console captured line by line (stdout and stderr
 * merged) into memory and into {@code console.log} in its work directory. Thread-safe: the
 * console list is only appended to under its own monitor.
 */
final class ServerProcess implements AutoCloseable {
    static final String LOOPBACK = "127.0.0.1";

    private final Process process;
    private final List<String> console = new ArrayList<>();
    /** When each console line arrived ({@link System#nanoTime()}), in step with {@link #console}. */
    private final List<Long> arrivals = new ArrayList<>();
    private final Path log;
    private final Thread reader;

    private ServerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        reader = new Thread(this::pump, "server-console");
        reader.setDaemon(true);
        reader.start();
    }

    static ServerProcess start(List<String> command, Path workDir) throws IOException {
        return start(command, workDir, java.util.Map.of());
    }

    static ServerProcess start(List<String> command, Path workDir, java.util.Map<String, String> env)
            throws IOException {
        Files.createDirectories(workDir);
        Path log = workDir.resolve("console.log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        return new ServerProcess(pb.start(), log);
    }

    /** Deletes a directory tree if it exists. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** A port that was free on the loopback interface a moment ago. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return s.getLocalPort();
        }
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                long now = System.nanoTime();
                synchronized (console) {
                    console.add(line);
                    arrivals.add(now);
                }
                Files.writeString(log, line + "\n", StandardCharsets.UTF_8,
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            }
        } catch (IOException ended) {
            // the process is gone
        }
    }

    List<String> console() {
        synchronized (console) {
            return List.copyOf(console);
        }
    }

    /**
     * When the first console line containing {@code marker} arrived at or after {@code sinceNanos}
     * ({@link System#nanoTime()}), or -1.
     */
    long firstArrival(String marker, long sinceNanos) {
        synchronized (console) {
            for (int i = 0; i < console.size(); i++) {
                if (arrivals.get(i) >= sinceNanos && console.get(i).contains(marker)) {
                    return arrivals.get(i);
                }
            }
        }
        return -1;
    }

    /**
     * The process id of the server's JVM: this process, or the one {@code java} process among its
     * descendants (WildFly's launcher script runs the JVM as its child).
     */
    long jvmPid() {
        return process.descendants()
                .filter(h -> h.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .mapToLong(ProcessHandle::pid).findFirst().orElse(process.pid());
    }

    /** The console lines that contain {@code marker}, in order. */
    List<String> lines(String marker) {
        return console().stream().filter(l -> l.contains(marker)).toList();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Polls until {@code test} holds on the console, the process exits, or the timeout passes. */
    boolean awaitConsole(Predicate<List<String>> test, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (test.test(console())) {
                return true;
            }
            if (!process.isAlive()) {
                return test.test(console());
            }
            Thread.sleep(200);
        }
        return false;
    }

    /** GET on the loopback; the status and body, or null when nothing answers. */
    static HttpResponse<String> get(int port, String path, Duration timeout) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + LOOPBACK + ":" + port + path))
                .timeout(timeout).GET().build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Sends SIGTERM and waits for the exit; the exit status or -1. Through the process handle:
     * {@link Process#destroy()} also closes our end of the console pipe, losing what the server
     * prints while it stops.
     */
    int terminate(Duration timeout) throws InterruptedException {
        sigterm();
        return awaitExit(timeout);
    }

    /** Sends SIGTERM (see {@link #terminate}); returns at once. */
    void sigterm() {
        process.toHandle().destroy();
    }

    /** Waits for the exit; the exit status, or -1 if the process still runs after {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            reader.join(5_000); // the reader ends at the console's end of file: every line is taken
            return process.exitValue();
        }
        return -1;
    }

    /** The tail of the console, for failure messages. */
    String tail(int lines) {
        List<String> all = console();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
