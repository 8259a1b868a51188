package dev.breaker.sample;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real HAProxy (the Debian package {@code haproxy}) in front of the sample's instances, in a
 * process of its own, with a configuration written to the test's directory: round robin over
 * the backends, an active health check on the readiness endpoint, a stats page (CSV) on another
 * port for the test to read each server's state and HAProxy's own error counters.
 *
 * <p>By default the configuration retries nothing ({@code retries 0}, no {@code option redispatch}):
 * a connection refused or reset by a backend reaches the client as a 503 or 502, so the test sees
 * every failure instead of HAProxy hiding it. Retrying a refused connect is safe (nothing was sent)
 * and a production configuration does it; the rolling restart proves the instances need no such
 * help, the {@code kill -9} test turns it on (a dead instance refuses connections until the checks
 * notice). A request that reached a backend is never retried by HAProxy here ({@code retry-on}
 * without {@code empty-response} or {@code response-timeout}): a POST retried after it reached a
 * backend could be stored twice; the client retries it, with its {@code Idempotency-Key}.
 */
final class Haproxy implements AutoCloseable {
    static final Duration CHECK_INTERVAL = Duration.ofMillis(100);
    static final int FALL = 2;
    static final int RISE = 2;

    final Path config;
    final Path log;
    final InetSocketAddress frontend;
    private final InetSocketAddress stats;
    private final Process process;

    private Haproxy(Path config, Path log, InetSocketAddress frontend, InetSocketAddress stats, Process process) {
        this.config = config;
        this.log = log;
        this.frontend = frontend;
        this.stats = stats;
        this.process = process;
    }

    /** How to get the program, said by both the skip and the failure. */
    static final String INSTALL = "haproxy is not installed, and this test needs a real one: `apt-get install -y haproxy`"
            + " (Debian/Ubuntu; .ci/run installs it and requires it with BREAKER_REQUIRE=haproxy)";

    /**
     * The haproxy binary. When it is missing the test is skipped, with one line on standard error
     * naming the test and how to install the program; unless the environment variable
     * {@code BREAKER_REQUIRE} lists {@code haproxy} (as {@code .ci/run} sets it): then it fails.
     */
    static Path binary(String test) {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/local/sbin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "haproxy"))) {
                return Path.of(dir, "haproxy");
            }
        }
        if (required("haproxy")) {
            return fail(INSTALL + "; required by BREAKER_REQUIRE");
        }
        System.err.println("SKIPPED " + test + ": " + INSTALL);
        org.junit.jupiter.api.Assumptions.abort(INSTALL);
        throw new AssertionError("unreachable");
    }

    /** Whether the environment variable {@code BREAKER_REQUIRE} (comma-separated) names {@code program}. */
    static boolean required(String program) {
        for (String p : System.getenv().getOrDefault("BREAKER_REQUIRE", "").split(",")) {
            if (p.strip().equals(program)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Writes the configuration for {@code servers} (name to loopback port), checks it and starts
     * HAProxy. {@code retryRefusedConnects}: a connection a backend refuses (nothing was sent) is
     * tried again on another server ({@code retries 3}, {@code option redispatch 1},
     * {@code retry-on conn-failure}); a request that reached a backend is never retried.
     */
    static Haproxy start(Path dir, Map<String, Integer> servers, boolean retryRefusedConnects) throws Exception {
        Path bin = binary("Haproxy");
        int frontendPort = freePort();
        int statsPort = freePort();
        StringBuilder cfg = new StringBuilder("""
                # written by Haproxy.java for one test run
                global
                    maxconn 4000
                    log stdout format raw local0 info

                defaults
                    mode http
                    log global
                    option httplog
                    timeout connect 2s
                    timeout client 60s
                    timeout server 60s
                    timeout check 1s
                %s

                frontend events
                    bind 127.0.0.1:%d
                    default_backend sample

                backend sample
                    balance roundrobin
                    option httpchk
                    http-check send meth GET uri /q/health/ready ver HTTP/1.1 hdr Host localhost
                    http-check expect status 200
                    default-server inter %dms fastinter %dms downinter %dms fall %d rise %d
                """.formatted(retryRefusedConnects
                        ? "    # a refused connect (nothing sent) goes to another server; a request sent is never retried\n"
                                + "    retries 3\n    option redispatch 1\n    retry-on conn-failure"
                        : "    # no retry, no redispatch: every backend failure reaches the client (see Haproxy.java)\n"
                                + "    retries 0",
                frontendPort, CHECK_INTERVAL.toMillis(), CHECK_INTERVAL.toMillis(),
                CHECK_INTERVAL.toMillis(), FALL, RISE));
        servers.forEach((name, port) -> cfg.append("    server ").append(name).append(" 127.0.0.1:").append(port)
                .append(" check\n"));
        cfg.append("""

                listen stats
                    bind 127.0.0.1:%d
                    no log
                    stats enable
                    stats uri /stats
                """.formatted(statsPort));
        Path config = dir.resolve("haproxy.cfg");
        Files.writeString(config, cfg.toString());
        Process check = new ProcessBuilder(bin.toString(), "-c", "-f", config.toString()).redirectErrorStream(true).start();
        String checked = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(check.waitFor(30, TimeUnit.SECONDS), "haproxy -c hung");
        assertEquals(0, check.exitValue(), "haproxy rejects " + config + ":\n" + checked);
        Path log = dir.resolve("haproxy.log");
        Process p = new ProcessBuilder(bin.toString(), "-db", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Haproxy haproxy = new Haproxy(config, log, new InetSocketAddress("127.0.0.1", frontendPort),
                new InetSocketAddress("127.0.0.1", statsPort), p);
        try {
            haproxy.awaitStats(Duration.ofSeconds(30));
        } catch (Exception | AssertionError e) {
            haproxy.close();
            throw e;
        }
        return haproxy;
    }

    private void awaitStats(Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            assertTrue(process.isAlive(), "haproxy exited; log: " + log);
            try {
                KeepAliveClient.once(stats, "GET", "/stats;csv");
                return;
            } catch (KeepAliveClient.Failure notYet) {
                if (System.nanoTime() > deadline) {
                    fail("haproxy's stats page did not answer within " + within + "; log: " + log);
                }
                TimeUnit.MILLISECONDS.sleep(20); // polling a condition, bounded
            }
        }
    }

    /** One row of the stats CSV per proxy and server: {@code "sample/app1"} to column name to value. */
    Map<String, Map<String, String>> stats() throws KeepAliveClient.Failure {
        KeepAliveClient.Response r = KeepAliveClient.once(stats, "GET", "/stats;csv");
        String[] lines = r.body().split("\n");
        String[] header = lines[0].replaceFirst("^# ", "").split(",", -1);
        Map<String, Map<String, String>> rows = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String[] cells = lines[i].split(",", -1);
            if (cells.length < 2) {
                continue;
            }
            Map<String, String> row = new HashMap<>();
            for (int c = 0; c < Math.min(header.length, cells.length); c++) {
                row.put(header[c], cells[c]);
            }
            rows.put(cells[0] + "/" + cells[1], row);
        }
        return rows;
    }

    /** The state HAProxy gives {@code server} of the backend: UP, DOWN, "UP 1/2" (going down), "DOWN 1/2"... */
    String status(String server) throws KeepAliveClient.Failure {
        return Optional.ofNullable(stats().get("sample/" + server)).map(row -> row.get("status")).orElse("?");
    }

    /** Waits (polling, bounded) until HAProxy says {@code status} (exactly) for {@code server}; returns when it did. */
    long awaitStatus(String server, String status, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        String last = "?";
        while (System.nanoTime() < deadline) {
            last = status(server);
            if (last.equals(status)) {
                return System.nanoTime();
            }
            TimeUnit.MILLISECONDS.sleep(10); // polling a condition, bounded
        }
        return fail("HAProxy did not see " + server + " " + status + " within " + within + " (last: " + last + "); log: " + log);
    }

    /** HAProxy's own error counters for the backend, from the stats page. */
    String backendErrors() throws KeepAliveClient.Failure {
        Map<String, String> b = stats().getOrDefault("sample/BACKEND", Map.of());
        List<String> out = new ArrayList<>();
        for (String c : List.of("econ", "eresp", "wretr", "wredis", "hrsp_5xx", "cli_abrt", "srv_abrt")) {
            out.add(c + "=" + b.getOrDefault(c, "?"));
        }
        return String.join(" ", out);
    }

    /** Lines of HAProxy's log that match {@code text}. */
    List<String> logLines(String text) throws IOException {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> l.contains(text)).toList();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
