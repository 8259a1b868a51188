package dev.breaker.tck.server;

import dev.breaker.tck.dag.Dag100;
import dev.breaker.tck.fixtures.RecordingWorker;
import dev.breaker.tck.harness.Graphs;
import dev.breaker.tck.harness.Recorder;
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
import org.junit.jupiter.api.function.Executable;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The library in a WAR on a real server, checked over HTTP and from the server's console (no
 * test runs inside the server): the diamond starts in dependency order, a
 * {@code breaker.request.timeout=1s} breaker trips after about 1 s (injected and from the
 * factory), readiness is UP with the library's {@code breaker-workers} check, and after SIGTERM
 * the workers stop in reverse order. The same WAR holds the suite's 100-node DAG
 * ({@link Dag100}, its classes as the suite compiled them): every one of its edges is respected
 * at start and, after SIGTERM, at stop. One server start for the whole class.
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
    /** A DAG record as {@code app.DagRecords} prints it: sequence number, what, worker. */
    private static final Pattern DAG_RECORD = Pattern.compile(MARK + "dag (\\d+) (\\S+) (\\S+)");
    private static final Duration BOOT = Duration.ofSeconds(240);

    private ServerProcess server;
    private int port;
    private String skipReason;
    private Integer exitStatus; // once SIGTERM has been sent and the server has gone (-1 if it did not)

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
        Path war = War.build(work.resolve("breaker-app.war"), "app/microprofile-config.properties",
                List.of(Store.class, Dag100.class), List.of(RecordingWorker.class, Recorder.class));
        Path cycle = War.build(work.resolve("breaker-cycle.war"), "app/microprofile-config.properties",
                List.of(Ping.class), List.of());
        port = ServerProcess.freePort();
        server = launch(java, work, war, cycle, port);
        if (!server.awaitConsole(this::ready, BOOT)) {
            fail(id() + " did not become ready in " + BOOT.toSeconds() + " s (alive: " + server.isAlive()
                    + "):\n" + server.tail(80));
        }
        // Helidon and Open Liberty open HTTP before the workers have started: wait for them
        // (diamondStartsInDependencyOrder and the DAG check then fail with the console if they never do)
        server.awaitConsole(lines -> lines.stream().filter(l -> l.contains(MARK + "start")).count() >= 4
                && lines.stream().filter(l -> l.contains(MARK + "dag ") && l.contains(" start-end ")).count()
                        >= Dag100.ALL.length, Duration.ofSeconds(60));
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

    /**
     * Issue 28 over HTTP: an application scoped resource with one injected 1 s breaker. A request
     * that waits 1.5 s sees its own breaker trip; every request after it (the resource is more than
     * 1 s old) has a live breaker of its own; among concurrent requests only the slow one trips.
     */
    @Test
    @Order(2)
    void anInjectedBreakerInASharedResourceBoundsEachRequest() throws Exception {
        String path = appPath() + "/api/shared";
        HttpResponse<String> slow = ServerProcess.get(port, path + "?ms=1500", Duration.ofSeconds(30));
        assertNotNull(slow, path + " answered");
        assertEquals(200, slow.statusCode(), slow.body() + "\n" + server.tail(60));
        assertTrue(slow.body().startsWith("broken ") && slow.body().toLowerCase().contains("timeout"),
                "a request longer than its 1 s breaker sees it trip: " + slow.body());
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> r = ServerProcess.get(port, path + "?ms=0", Duration.ofSeconds(30));
            assertEquals("ok", r.body(), "request " + i + " after the first second of the resource's life");
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(5);
        try {
            java.util.concurrent.Future<HttpResponse<String>> slowOne =
                    pool.submit(() -> ServerProcess.get(port, path + "?ms=3000", Duration.ofSeconds(30)));
            List<java.util.concurrent.Future<HttpResponse<String>>> fast = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                fast.add(pool.submit(() -> ServerProcess.get(port, path + "?ms=100", Duration.ofSeconds(30))));
            }
            for (java.util.concurrent.Future<HttpResponse<String>> f : fast) {
                assertEquals("ok", f.get(60, java.util.concurrent.TimeUnit.SECONDS).body());
            }
            String slowBody = slowOne.get(60, java.util.concurrent.TimeUnit.SECONDS).body();
            assertTrue(slowBody.startsWith("broken "), "the slow concurrent request trips: " + slowBody);
        } finally {
            pool.shutdownNow();
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

    /** Sends SIGTERM once and waits for the server to go; its exit status, or -1 if it did not exit. */
    private int stopServer() throws InterruptedException {
        if (exitStatus == null) {
            exitStatus = server.terminate(Duration.ofSeconds(90));
        }
        return exitStatus;
    }

    @Test
    @Order(5)
    void sigtermStopsTheWorkersInReverseOrder() throws Exception {
        int status = stopServer();
        List<String> stops = server.lines(MARK + "stop");
        assertEquals(4, stops.size(), "four stops (exit " + status + "):\n" + server.tail(60));
        assertTrue(stops.get(0).endsWith("Front"), stops.toString());
        assertTrue(stops.get(3).endsWith("Store"), stops.toString());
        assertTrue(status == 143 || status == 0, "exit status after SIGTERM: " + status);
    }

    /**
     * Nothing the library runs during the shutdown fails: no uncaught exception on one of its
     * threads, no class it cannot load (WildFly's deployments do not see {@code sun.misc}; a
     * {@code NoClassDefFoundError} there once made the container stop the workers in its own order).
     */
    @Test
    @Order(5)
    void theShutdownThrowsNothingOnTheLibrarysThreads() throws Exception {
        int status = stopServer();
        List<String> failures = server.console().stream()
                .filter(l -> l.contains("Exception in thread \"breaker-")
                        || (l.contains("NoClassDefFoundError") && l.contains("sun/misc")))
                .toList();
        assertTrue(failures.isEmpty(), "exit " + status + ", failures: " + failures + "\n" + server.tail(60));
    }

    /**
     * The suite's 100-node DAG in the same WAR: each worker started and stopped exactly once; for
     * every edge (worker → dependency, as {@link Graphs#edges} reads them from {@link Dag100}'s
     * classes, the suite's own check) the dependency finished starting before the worker began, and
     * after SIGTERM the worker finished stopping before the dependency began. The records are the
     * ones the DAG's workers make in the server ({@code RecordingWorker} around
     * {@code @PostConstruct} and {@code @PreDestroy}), with one sequence number each.
     */
    @Test
    @Order(6)
    void dagOf100StartsAndStopsInDependencyOrder() throws Exception {
        int status = stopServer();
        Map<String, List<Long>> records = new HashMap<>(); // "<what> <worker>" -> its sequence numbers
        for (String line : server.lines(MARK + "dag ")) {
            Matcher m = DAG_RECORD.matcher(line);
            assertTrue(m.find(), "a DAG record: " + line);
            records.computeIfAbsent(m.group(2) + " " + m.group(3), k -> new ArrayList<>()).add(Long.parseLong(m.group(1)));
        }
        String context = " (exit " + status + ", " + records.size() + " kinds of DAG record seen):\n" + server.tail(40);
        List<Executable> once = new ArrayList<>();
        for (Class<?> node : Dag100.ALL) {
            for (String what : List.of("start-begin", "start-end", "stop-begin", "stop-end")) {
                String key = what + " " + RecordingWorker.nameOf(node);
                once.add(() -> assertEquals(1, records.getOrDefault(key, List.of()).size(), key + " records" + context));
            }
        }
        assertAll("each DAG worker starts and stops exactly once", once);

        List<Graphs.Edge> edges = Graphs.edges(Dag100.ALL);
        assertEquals(Dag100.EDGES, edges.size(), "edges read from Dag100");
        Function<String, Long> seq = key -> records.get(key).get(0);
        List<Executable> order = new ArrayList<>();
        for (Graphs.Edge e : edges) {
            String edge = "edge " + e.worker() + " -> " + e.dependency() + ": ";
            long depStarted = seq.apply("start-end " + e.dependency());
            long workerStarting = seq.apply("start-begin " + e.worker());
            order.add(() -> assertTrue(depStarted < workerStarting, edge + e.worker() + " began starting (#"
                    + workerStarting + ") before " + e.dependency() + " had finished starting (#" + depStarted + ")"));
            long workerStopped = seq.apply("stop-end " + e.worker());
            long depStopping = seq.apply("stop-begin " + e.dependency());
            order.add(() -> assertTrue(workerStopped < depStopping, edge + e.dependency() + " began stopping (#"
                    + depStopping + ") before " + e.worker() + " had finished stopping (#" + workerStopped + ")"));
        }
        assertAll("every edge of the DAG, at start and at stop", order);
    }
}
