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
 * <p>The SIGTERM is sent once, under steady load ({@link LoadRun}), with the app's
 * {@code breaker.shutdown.readiness-delay=2s}: what each platform gives during and after the delay
 * is measured and asserted ({@link #sigtermUnderLoad}). Before it, where the server can undeploy
 * ({@link #noRedeploy()} null: WildFly, Open Liberty), a third application is deployed and
 * undeployed {@value #REDEPLOYS} times and must leave no loaded copy beyond the server's own
 * retention and no library thread ({@link #redeployTwentyTimes}, with the server JDK's
 * {@code jcmd}).
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
    private LoadRun.Result load; // what the load around that SIGTERM gave
    private String loadReadiness; // its readiness samples, for failure messages
    /** {@code breaker.shutdown.readiness-delay} in the app's configuration ({@code app/microprofile-config.properties}). */
    static final long READINESS_DELAY_MS = 2_000;

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

    /** The running server (for the subclasses' deploy and undeploy). */
    ServerProcess server() {
        return server;
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

    /** How many times {@link #redeployTwentyTimes} deploys and undeploys its application before the last deployment. */
    static final int REDEPLOYS = 20;
    private static final String REDEPLOY_WORKER = "dev.breaker.tck.server.redeploy.RedeployWorker";

    /**
     * Deploys {@code war} at context root {@code /breaker-redeploy} and returns once it is
     * deployed; fails with the console if its deployment failed. Only where {@link #noRedeploy()}
     * is null.
     */
    void deploy(Path war) throws Exception {
        throw new UnsupportedOperationException();
    }

    /** Undeploys what {@link #deploy} deployed and returns once it is gone. */
    void undeploy() throws Exception {
        throw new UnsupportedOperationException();
    }

    /** Why this server's redeploy test is skipped; null where {@link #deploy}/{@link #undeploy} work. */
    String noRedeploy() {
        return id() + " is not redeployed by these tests (WildFly and Open Liberty are)";
    }

    /**
     * The server's own JDK tool {@code jcmd} on the server's JVM: the output, or a failure naming
     * the command.
     */
    private String jcmd(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(java().resolveSibling("jcmd").toString(),
                String.valueOf(server.jvmPid())));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0,
                String.join(" ", command) + " failed:\n" + out);
        return out;
    }

    /** How many copies of the redeployed application's worker class the server's JVM holds (one per live loader). */
    private int loadedCopies() throws Exception {
        String hierarchy = jcmd("VM.class_hierarchy", REDEPLOY_WORKER);
        return (int) hierarchy.lines().filter(l -> l.contains("--" + REDEPLOY_WORKER + "/")).count();
    }

    /** The server JVM's threads whose names start with {@code breaker-} (the library's). */
    private List<String> libraryThreads() throws Exception {
        return jcmd("Thread.print").lines().filter(l -> l.startsWith("\"breaker-"))
                .map(l -> l.substring(1, l.indexOf('"', 1))).toList();
    }

    /**
     * Deploys and undeploys an application that uses the library (a routine worker on a library
     * thread, an hour-long timed breaker, a SIGTERM breaker, a tripped breaker with an action, a
     * {@code CurrentBreaker} binding, a request that finds its breaker) {@value #REDEPLOYS} times,
     * then: after full GCs (jcmd {@code GC.run}, polled: nothing notifies a class unloading) the
     * JVM holds at most {@link #retainedCopies()} copies of its classes (the server's own
     * retention of the last deployment, measured with a library-free WAR; a leak keeps one per
     * deployment); no {@code breaker-} thread is left (the other application, idle, has none);
     * and deployment 21 starts its worker and answers as the first did. Before the fix of
     * TripLoop's thread local, WildFly held every undeployed copy.
     */
    @Test
    @Order(4)
    void redeployTwentyTimes() throws Exception {
        Assumptions.assumeTrue(noRedeploy() == null, noRedeploy());
        Path jcmd = java().resolveSibling("jcmd");
        Assumptions.assumeTrue(Files.isExecutable(jcmd), "needs jcmd, which comes with a JDK, at " + jcmd
                + ": redeploy test skipped");
        Path work = Path.of(System.getProperty("server.work", "target/server-work")).resolve(id());
        Path war = War.build(work.resolve("breaker-redeploy.war"), "redeploy/microprofile-config.properties",
                List.of(dev.breaker.tck.server.redeploy.RedeployWorker.class), List.of(),
                Map.of("Dependencies", "jdk.unsupported")); // WildFly: sun.misc.Signal for Breaker.bySignal
        String path = "/breaker-redeploy/api/redeploy";
        for (int i = 1; i <= REDEPLOYS; i++) {
            deploy(war);
            // on a connection closed after the answer: a kept-alive one holds its application on
            // Open Liberty (its last request's web module) for as long as it stays open
            assertEquals("ok current=true tripped=true", LoadRun.request(port, path, false).body(), "deployment " + i
                    + "\n" + server.tail(40));
            undeploy();
        }
        assertEquals(REDEPLOYS, server.lines(MARK + "redeploy up").size(), "each deployment started its worker");
        assertEquals(REDEPLOYS, server.lines(MARK + "redeploy down").size(), "each undeployment stopped it");

        // the other application's turn: an idle request thread keeps the last exchange it served on
        // its stack (WildFly's Undertow), which must not be an undeployed application's
        for (int i = 0; i < 20; i++) {
            LoadRun.request(port, appPath() + "/api/load", false);
        }
        int copies = Integer.MAX_VALUE;
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < end) {
            jcmd("GC.run");
            copies = loadedCopies();
            if (copies <= retainedCopies()) {
                break;
            }
            Thread.sleep(500); // class unloading cannot notify: a bounded poll
        }
        List<String> threads = libraryThreads();
        for (long stop = System.nanoTime() + Duration.ofSeconds(10).toNanos();
             !threads.isEmpty() && System.nanoTime() < stop; threads = libraryThreads()) {
            Thread.sleep(250); // the library's idle threads end after 1 s: a bounded poll
        }
        String measured = "redeploys=" + REDEPLOYS + " copiesAfterGc=" + copies + " libraryThreads=" + threads.size();
        System.setProperty("tck.redeploy." + getClass().getSimpleName(), measured);
        System.out.println("Redeploy: " + id() + " " + measured);
        assertTrue(copies <= retainedCopies(), REDEPLOYS + " undeployed copies of the application, " + copies
                + " still loaded after GC (at most " + retainedCopies() + " expected)");
        assertEquals(List.of(), threads, "no library thread after the last undeploy");

        deploy(war);
        assertEquals("ok current=true tripped=true", LoadRun.request(port, path, false).body(),
                "deployment " + (REDEPLOYS + 1));
        assertEquals(REDEPLOYS + 1, server.lines(MARK + "redeploy up").size(), "the last deployment's worker started");
        undeploy();
    }

    /**
     * How many undeployed copies of an application the server itself may keep loaded after GC
     * (measured with a WAR without the library; see the subclasses).
     */
    int retainedCopies() {
        return 0;
    }

    /**
     * Sends SIGTERM once, under load, and waits for the server to go; its exit status, or -1 if it
     * did not exit. Clients ({@link LoadRun}: three threads, one request every 20 ms each, and a
     * readiness poller) run from before the SIGTERM until after the exit.
     */
    private int stopServer() throws InterruptedException {
        if (exitStatus == null) {
            // the first requests of a resource can fail inside the platform before any application
            // code runs (Payara 6's telemetry listener: NullPointerException in CDI.current(), a 500,
            // seen once): ask until one answer is a 200, so that the load measures the library
            int warmStatus = -1;
            for (int i = 0; i < 20 && warmStatus != 200; i++) {
                warmStatus = LoadRun.request(port, appPath() + "/api/load", false).status();
            }
            assertEquals(200, warmStatus, "the load endpoint answers before the load starts:\n" + server.tail(30));
            try (LoadRun run = LoadRun.start(port, appPath() + "/api/load", healthPort(port), 3, 20)) {
                long warmUpEnd = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!run.warmedUp(30) && System.nanoTime() < warmUpEnd) {
                    Thread.sleep(50); // the clients' samples cannot notify: a bounded poll
                }
                if (!run.warmedUp(30)) {
                    System.err.println("WARNING: " + id() + " not warmed up in 30 s; " + run.readinessSummary());
                }
                long t0 = System.nanoTime();
                run.sigtermAt(t0);
                server.sigterm();
                exitStatus = server.awaitExit(Duration.ofSeconds(90));
                long exitAt = System.nanoTime();
                Thread.sleep(300); // the clients see the closed port after the exit: part of the record
                run.close();
                load = run.result(READINESS_DELAY_MS, server.firstArrival(MARK + "stop", t0), exitAt, exitStatus);
                loadReadiness = run.readinessSummary();
            }
            String line = load.line(id());
            System.setProperty("tck.load." + getClass().getSimpleName(), line); // in the surefire report
            Path dir = Path.of(System.getProperty("server.load.dir", "target/server-load"));
            try {
                Files.createDirectories(dir);
                Files.writeString(dir.resolve(id() + ".txt"), line + "\n");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            System.out.println("SIGTERM under load: " + line);
        }
        return exitStatus;
    }

    /** What {@link #sigtermUnderLoad} may expect of the platform: see each subclass. */
    enum UnderLoad {
        /** The application answers through the readiness delay: no request fails during it. */
        SERVES_THE_DELAY,
        /**
         * The platform stops listening at SIGTERM: readiness goes DOWN first; the only failures are
         * connections reset (or closed unanswered) at the moment the listener closes, none later,
         * no wrong answer; every request after that is refused.
         */
        CLOSES_AT_SIGTERM
    }

    /** What this platform gives under load at SIGTERM (measured, documented in tck-tests/README.md). */
    UnderLoad underLoad() {
        return UnderLoad.SERVES_THE_DELAY;
    }

    /**
     * Steady load around the SIGTERM (see {@link #stopServer}): readiness is no longer UP within
     * 1 s of the SIGTERM and never UP again, and the exit status is 143 or 0. Where the platform
     * allows it ({@link UnderLoad#SERVES_THE_DELAY}: Payara Micro, with the library's shutdown
     * grace, and Helidon) the library's check answers DOWN before the port closes, every request
     * sent during {@code breaker.shutdown.readiness-delay} (2 s) is answered, none refused or
     * failed, and the workers stop after it. Where the platform stops listening at SIGTERM
     * ({@link UnderLoad#CLOSES_AT_SIGTERM}: WildFly, Open Liberty) the port closes during the
     * delay, and the only failures are connections cut at that moment, none later and no wrong
     * answer. The numbers go to {@code target/server-load/<id>.txt} and the surefire report
     * ({@code tck.load.<TestClass>}), from which {@code compat-table.sh} prints a second table.
     */
    @Test
    @Order(5)
    void sigtermUnderLoad() throws Exception {
        int status = stopServer();
        String context = "\n" + load.line(id()) + "\n" + loadReadiness + "\n" + server.tail(30);
        assertTrue(load.before()[0] >= 30 && load.before()[2] == 0, "served before the SIGTERM" + context);
        assertTrue(load.readinessGoneMs() >= 0 && load.readinessGoneMs() < 1_000,
                "readiness no longer UP within 1 s of the SIGTERM" + context);
        assertTrue(load.readinessLastUpMs() < load.readinessGoneMs(), "readiness never UP again once not UP" + context);
        assertTrue(status == 143 || status == 0, "exit status " + status + context);
        switch (underLoad()) {
            case SERVES_THE_DELAY -> assertServedTheDelay(context);
            case CLOSES_AT_SIGTERM -> assertClosedAtSigterm(context);
        }
    }

    private void assertServedTheDelay(String context) {
        assertTrue(load.readinessDownMs() >= 0 && load.readinessDownMs() < 1_000,
                "the breaker-workers readiness check answered DOWN within 1 s of the SIGTERM" + context);
        assertTrue(load.portClosedMs() < 0 || load.readinessDownMs() < load.portClosedMs(),
                "readiness DOWN before the port closed" + context);
        assertEquals(0, load.during()[2], "no request failed during the readiness delay" + context);
        assertEquals(0, load.during()[1], "no request refused during the readiness delay" + context);
        assertTrue(load.during()[0] >= 30, "requests answered during the readiness delay" + context);
        assertTrue(load.delayServed(), "the workers stopped after the delay, requests answered until then"
                + context);
    }

    private void assertClosedAtSigterm(String context) {
        assertTrue(load.portClosedMs() >= 0 && load.portClosedMs() < READINESS_DELAY_MS,
                "the port closed during the delay, as measured on this platform" + context);
        assertTrue(load.failures().keySet().stream().allMatch(k -> k.endsWith(":reset")
                || k.endsWith(":closed-without-answer")), "only connections cut, no wrong answer" + context);
        assertTrue(load.lastFailedMs() <= load.portClosedMs() + 100,
                "failures only at the moment the listener closed" + context);
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
