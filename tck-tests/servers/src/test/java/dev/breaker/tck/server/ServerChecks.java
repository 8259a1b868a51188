package dev.breaker.tck.server;

import dev.breaker.tck.server.app.Store;
import dev.breaker.tck.server.cycle.Ping;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The library in a WAR on a real server, checked over HTTP and from the server's console (no
 * test runs inside the server): the diamond starts in dependency order, a
 * {@code breaker.request.timeout=1s} breaker trips after about 1 s (injected and from the
 * factory), readiness is UP with the library's {@code breaker-workers} check, and after SIGTERM
 * the workers stop in reverse order. One server start for the whole class.
 *
 * <p>A second WAR deployed in the same server holds a dependency cycle: its deployment must fail
 * with {@code BRKR001} naming the whole path, and the first application must be unaffected.
 *
 * <p>Each subclass names one server (from Maven Central, through {@code dependency:copy} or
 * {@code dependency:unpack}), how to launch it, and the JDK to run it on; the build itself stays on
 * its own JDK.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
abstract class ServerChecks {
    private static final String MARK = "BREAKER-TCK ";
    private static final Duration BOOT = Duration.ofSeconds(240);

    private ServerProcess server;
    private int port;
    private String skipReason;

    /** A short id for the work directory and messages, such as {@code payara7}. */
    abstract String id();

    /** The {@code java} launcher to run it with; the class is skipped (saying why) when absent. */
    abstract Path java();

    /**
     * Starts the server on {@code port} (loopback only) with both WARs deployed; the app WAR at
     * context root {@code /app}, the cycle WAR at {@code /breaker-cycle}.
     */
    abstract ServerProcess launch(Path java, Path work, Path app, Path cycle, int port) throws Exception;

    /** Whether the console says the server finished starting (both deployments attempted). */
    abstract boolean ready(List<String> console);

    @BeforeAll
    void boot() throws Exception {
        Path java = java();
        if (!Files.isExecutable(java)) {
            // each test is then skipped with this reason (an aborted @BeforeAll would count no test)
            skipReason = id() + " needs a JDK it can run on; none at " + java
                    + " (set -Dserver.jdk21.home=<jdk 21+>): " + id() + " tests skipped";
            System.err.println("WARNING: " + skipReason);
            return;
        }
        Path work = Path.of(System.getProperty("server.work", "target/server-work")).resolve(id());
        ServerProcess.deleteTree(work); // a server dir left by an earlier run would deploy the old WAR first
        Path war = War.build(work.resolve("breaker-app.war"), Store.class, "app/microprofile-config.properties");
        Path cycle = War.build(work.resolve("breaker-cycle.war"), Ping.class, "app/microprofile-config.properties");
        port = ServerProcess.freePort();
        server = launch(java, work, war, cycle, port);
        if (!server.awaitConsole(this::ready, BOOT)) {
            fail(id() + " did not become ready in " + BOOT.toSeconds() + " s (alive: " + server.isAlive()
                    + "):\n" + server.tail(80));
        }
        // Helidon and Open Liberty open HTTP before the workers have started: wait for them
        // (diamondStartsInDependencyOrder then fails with the console if they never do)
        server.awaitConsole(lines -> lines.stream().filter(l -> l.contains(MARK + "start")).count() >= 4,
                Duration.ofSeconds(60));
    }

    @BeforeEach
    void skipWithoutServer() {
        Assumptions.assumeTrue(skipReason == null, skipReason);
    }

    @AfterAll
    void kill() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void diamondStartsInDependencyOrder() {
        List<String> starts = server.lines(MARK + "start");
        assertEquals(4, starts.size(), "four starts:\n" + server.tail(60));
        assertTrue(starts.get(0).endsWith("Store"), starts.toString());
        assertTrue(starts.get(3).endsWith("Front"), starts.toString());
    }

    @Test
    @Order(2)
    void configuredBreakersTripAfterOneSecond() {
        for (String path : List.of(appPath() + "/api/breaker/injected", appPath() + "/api/breaker/factory")) {
            HttpResponse<String> r = ServerProcess.get(port, path, Duration.ofSeconds(30));
            assertNotNull(r, path + " answered");
            assertEquals(200, r.statusCode(), path + ": " + r.body() + "\n" + server.tail(60));
            String[] parts = r.body().split(" ", 3);
            assertEquals("true", parts[0], path + " tripped: " + r.body());
            long ms = Long.parseLong(parts[1]);
            assertTrue(ms >= 900 && ms < 10_000, path + " tripped after " + ms + " ms, expected ~1000: " + r.body());
            assertTrue(parts[2].contains("TIMEOUT") || parts[2].toLowerCase().contains("timeout"), r.body());
        }
    }

    @Test
    @Order(3)
    void readinessIsUpWithTheWorkers() {
        HttpResponse<String> r = ServerProcess.get(healthPort(port), "/health/ready", Duration.ofSeconds(30));
        assertNotNull(r, "/health/ready answered");
        assertTrue(java.util.regex.Pattern.compile("\"name\"\\s*:\\s*\"breaker-workers\"\\s*,\\s*\"status\"\\s*:\\s*\"UP\"")
                .matcher(r.body()).find(), "the library's readiness check is UP: " + r.body());
        assertEquals(readinessCountsFailedApplications() ? 503 : 200, r.statusCode(), r.body());
    }

    /**
     * Whether the server's overall readiness is DOWN while any deployed application failed to
     * start (Open Liberty: CWMMH0053W; WildFly: its {@code boot-errors} check), as the cycle WAR
     * did, so only the library's own check can be UP.
     */
    boolean readinessCountsFailedApplications() {
        return false;
    }

    /** Whether the cycle WAR was deployed in the same server (else {@link #cycleConsole()} starts one). */
    boolean cycleDeployedBeside() {
        return true;
    }

    /** The console lines in which the cycle's deployment failure must appear. */
    List<String> cycleConsole() throws Exception {
        return server.console();
    }

    /** The application's context root: {@code /app}, or empty where the server runs one application at the root. */
    String appPath() {
        return "/app";
    }

    /** The port that serves {@code /health/ready}: the HTTP port, unless the server has a management one. */
    int healthPort(int httpPort) {
        return httpPort;
    }

    @Test
    @Order(4)
    void aCycleFailsItsDeploymentWithBrkr001() throws Exception {
        List<String> cycle = cycleConsole().stream().filter(l -> l.contains("BRKR001")).toList();
        assertTrue(!cycle.isEmpty(), "BRKR001 in the console:\n" + server.tail(80));
        String line = cycle.get(0);
        assertTrue(line.contains("'ping' (" + Ping.class.getName() + ")") && line.contains("'pong' ("), line);
        if (cycleDeployedBeside()) {
            HttpResponse<String> r = ServerProcess.get(port, "/breaker-cycle/", Duration.ofSeconds(30));
            assertNotNull(r, "the server still answers");
            assertEquals(404, r.statusCode(), "the cycle application is not deployed: " + r.body());
        }
    }

    @Test
    @Order(5)
    void sigtermStopsTheWorkersInReverseOrder() throws Exception {
        int status = server.terminate(Duration.ofSeconds(90));
        List<String> stops = server.lines(MARK + "stop");
        assertEquals(4, stops.size(), "four stops (exit " + status + "):\n" + server.tail(60));
        assertTrue(stops.get(0).endsWith("Front"), stops.toString());
        assertTrue(stops.get(3).endsWith("Store"), stops.toString());
        assertTrue(status == 143 || status == 0, "exit status after SIGTERM: " + status);
    }
}
