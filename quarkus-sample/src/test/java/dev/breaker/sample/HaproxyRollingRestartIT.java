package dev.breaker.sample;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.function.Executable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.breaker.sample.ShutdownSequenceIT.awaitTrue;
import static dev.breaker.sample.ShutdownSequenceIT.ms;
import static dev.breaker.sample.ShutdownSequenceIT.tally;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@value #INSTANCES} instances of the packaged sample on one PostgreSQL ({@link Cluster}) behind
 * a real HAProxy ({@link Haproxy}: round robin, health checks on {@code /q/health/ready} every
 * {@value #CHECK_MS} ms). {@value #CLIENTS} clients post through HAProxy at about {@value #RATE}
 * requests per second in all, each over a keep-alive connection of its own and with an
 * {@code Idempotency-Key} per event, for the whole run, and every answer is recorded.
 * <ul>
 * <li>Rolling restart (HAProxy retries nothing): each instance in turn gets SIGTERM, exits, is
 * started again on the same port and becomes UP in HAProxy, then the next. Every request must
 * succeed: no reset, no refused connection, no 5xx (a 503 counts as failed: a healthy instance was
 * always there); every acknowledged event stored once, nothing else stored; every exit code 0.</li>
 * <li>{@code kill -9} of one instance (HAProxy retries refused connects only, which is safe): the
 * only requests allowed to fail are those in flight on it at the kill; the client then retries them
 * with their keys, and every event ends up acknowledged and stored exactly once.</li>
 * </ul>
 * The times are printed (README: "A rolling restart behind HAProxy").
 */
class HaproxyRollingRestartIT {
    static final int INSTANCES = 3;
    static final int CLIENTS = 8;
    static final int RATE = 150;
    static final long CHECK_MS = 100;
    /**
     * Readiness delay for this test: HAProxy marks a server DOWN after {@link Haproxy#FALL} failed
     * checks {@link Haproxy#CHECK_INTERVAL} apart, 200 ms after readiness went DOWN; the signal's
     * own latency on a loaded machine was measured up to ~350 ms. 2 s leaves a wide margin.
     */
    static final Duration DELAY = Duration.ofSeconds(2);
    static final Duration EXIT_WITHIN = Duration.ofSeconds(60);

    private Path dir;
    private Cluster cluster;
    private Haproxy haproxy;
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> configs = new HashMap<>();

    /** Skipped with one line saying how to install HAProxy when it is missing; failed instead with BREAKER_REQUIRE=haproxy. */
    @org.junit.jupiter.api.BeforeAll
    static void needsHaproxy() {
        Haproxy.binary(HaproxyRollingRestartIT.class.getSimpleName());
    }

    @BeforeEach
    void setUp(TestInfo test) throws Exception {
        Path work = Files.createDirectories(Path.of(System.getProperty("sample.work.dir", "target/it")));
        dir = Files.createTempDirectory(work, "HaproxyRollingRestartIT-" + test.getTestMethod().orElseThrow().getName() + "-");
        cluster = Cluster.onNewDatabase(dir);
        for (int i = 1; i <= INSTANCES; i++) {
            String name = "app" + i;
            ports.put(name, Haproxy.freePort());
            configs.put(name, Map.of("quarkus.http.port", Integer.toString(ports.get(name)),
                    "breaker.shutdown.readiness-delay", DELAY.toMillis() + "ms"));
        }
    }

    @AfterEach
    void cleanUp() {
        if (cluster != null) {
            cluster.close();
        }
        if (haproxy != null) {
            haproxy.close();
        }
    }

    /** Every instance at once (the schema set-up is safe for that), then HAProxy, once it sees all UP. */
    private void startAll(boolean retryRefusedConnects) throws Exception {
        List<String> names = List.copyOf(ports.keySet());
        Cluster.awaitAll(names, names.stream().map(n -> cluster.startAsync(n, configs.get(n))).toList());
        haproxy = Haproxy.start(dir, ports, retryRefusedConnects);
        for (String name : names) {
            haproxy.awaitStatus(name, "UP", Duration.ofSeconds(30));
        }
    }

    private KeepAliveClient clients(String name) {
        return new KeepAliveClient(name, haproxy.frontend, CLIENTS,
                Duration.ofNanos(TimeUnit.SECONDS.toNanos(1) * CLIENTS / RATE), false, true);
    }

    @Test
    void rollingRestartFailsNoRequest() throws Exception {
        startAll(false);
        KeepAliveClient clients = clients("rolling");
        awaitTrue(() -> clients.acceptedCount() >= 300, Duration.ofSeconds(120), () -> "warm-up: " + tally(clients.exchanges()));

        List<String> timings = new ArrayList<>();
        List<Integer> exitCodes = new ArrayList<>();
        long rollStart = System.nanoTime();
        for (String name : ports.keySet()) {
            SampleProcess old = cluster.instance(name);
            CompletableFuture<Long> down = CompletableFuture.supplyAsync(() -> awaitDown(name));
            long signal = System.nanoTime();
            old.sigterm();
            int exit = old.awaitExit(EXIT_WITHIN);
            long exited = System.nanoTime();
            exitCodes.add(exit);
            long markedDown = down.get(30, TimeUnit.SECONDS);
            cluster.start(name, configs.get(name));
            long listening = System.nanoTime();
            long up = haproxy.awaitStatus(name, "UP", Duration.ofSeconds(30));
            timings.add(String.format("%s: HAProxy DOWN %d ms after SIGTERM, exit %d after %d ms; restarted, listening"
                            + " after %d ms, HAProxy UP %d ms after the start", name, ms(markedDown - signal), exit,
                    ms(exited - signal), ms(listening - exited), ms(up - exited)));
        }
        long rollEnd = System.nanoTime();
        int acceptedAtEnd = clients.acceptedCount();
        awaitTrue(() -> clients.acceptedCount() >= acceptedAtEnd + 100, Duration.ofSeconds(60),
                () -> "traffic after the restart: " + tally(clients.exchanges()));
        clients.close();
        String haproxyErrors = haproxy.backendErrors();
        List<Integer> finalExits = stopAll();

        List<Exchange> all = clients.exchanges();
        List<Exchange> failed = all.stream().filter(e -> !e.accepted()).toList();
        Map<String, Integer> stored = storedPayloads();
        long acknowledged = all.stream().filter(Exchange::accepted).count();
        List<String> notOnce = all.stream().filter(Exchange::accepted).map(Exchange::payload)
                .filter(p -> stored.getOrDefault(p, 0) != 1).toList();
        long rows = stored.values().stream().mapToLong(Integer::longValue).sum();
        System.out.printf("HaproxyRollingRestartIT: %d instances, %d clients at ~%d/s through HAProxy (checks every %d ms,"
                        + " fall %d, rise %d, no retries), readiness delay %s, quarkus.shutdown.timeout 10s,"
                        + " breaker.shutdown.timeout 20s: rolling restart took %d ms; %s; %d requests %s, %d failed %s;"
                        + " HAProxy backend counters: %s; %d rows stored for %d acknowledged events%n",
                INSTANCES, CLIENTS, RATE, CHECK_MS, Haproxy.FALL, Haproxy.RISE, DELAY, ms(rollEnd - rollStart),
                String.join("; ", timings), all.size(), tally(all), failed.size(), failed.stream().limit(5).toList(),
                haproxyErrors, rows, acknowledged);

        List<Executable> checks = new ArrayList<>();
        checks.add(() -> assertTrue(failed.isEmpty(), failed.size() + " requests failed during the rolling restart, e.g. "
                + failed.stream().limit(5).toList() + "; HAProxy: " + haproxyErrors + "; log " + haproxy.log));
        checks.add(() -> assertTrue(exitCodes.stream().allMatch(c -> c == 0), "exit codes after SIGTERM: " + exitCodes));
        checks.add(() -> assertTrue(finalExits.stream().allMatch(c -> c == 0), "exit codes at the end: " + finalExits));
        checks.add(() -> assertTrue(notOnce.isEmpty(), notOnce.size() + " acknowledged events not stored exactly once, e.g. "
                + notOnce.stream().limit(5).toList()));
        checks.add(() -> assertTrue(failed.isEmpty() ? rows == acknowledged : rows >= acknowledged,
                rows + " rows stored for " + acknowledged + " acknowledged events (every request answered: nothing else stored)"));
        assertAll(checks);
    }

    @Test
    void kill9FailsOnlyWhatWasInFlightOnItAndRetriesWithKeysStoreEachEventOnce() throws Exception {
        startAll(true);
        KeepAliveClient clients = clients("kill9");
        awaitTrue(() -> clients.acceptedCount() >= 300, Duration.ofSeconds(120), () -> "warm-up: " + tally(clients.exchanges()));
        String victim = "app2";
        long kill = System.nanoTime();
        cluster.instance(victim).kill9();
        long dead = System.nanoTime(); // reaped: a request sent before this may have been in flight on it
        long markedDown = awaitDown(victim);
        int acceptedAfterKill = clients.acceptedCount();
        awaitTrue(() -> clients.acceptedCount() >= acceptedAfterKill + 300, Duration.ofSeconds(60),
                () -> "traffic after the kill: " + tally(clients.exchanges()));
        clients.close();

        List<Exchange> all = clients.exchanges();
        List<Exchange> failed = all.stream().filter(e -> !e.accepted()).toList();
        List<Exchange> failedAfterKill = failed.stream().filter(e -> e.sentNanos() > dead).toList();
        // the client's part: every request without a 202 is sent again, with its key, until it gets one
        List<Exchange> retries = new ArrayList<>();
        Map<String, String> retriedIds = new HashMap<>();
        for (Exchange f : failed) {
            Exchange r = null;
            for (int attempt = 0; attempt < 20 && (r == null || !r.accepted()); attempt++) {
                if (r != null) {
                    TimeUnit.MILLISECONDS.sleep(100); // the client's pace between retries
                }
                r = KeepAliveClient.postOnce(haproxy.frontend, f.client(), f.payload(), f.idempotencyKey());
                retries.add(r);
            }
            if (r.accepted()) {
                retriedIds.put(f.payload(), r.id());
            }
        }
        String haproxyErrors = haproxy.backendErrors();
        List<String> victimLog = haproxy.logLines(" sample/" + victim + " ");
        List<Integer> exits = stopAll();

        Map<String, Integer> stored = storedPayloads();
        List<String> everyPayload = all.stream().map(Exchange::payload).distinct().toList();
        List<String> notOnce = everyPayload.stream().filter(p -> stored.getOrDefault(p, 0) != 1).toList();
        long rows = stored.values().stream().mapToLong(Integer::longValue).sum();
        System.out.printf("HaproxyRollingRestartIT kill -9: %d requests %s; the process was gone %d ms after SIGKILL,"
                        + " HAProxy saw %s DOWN %d ms after the SIGKILL; %d failed, %d of them sent after the process was gone: %s;"
                        + " retried with their keys: %s, %d of them replays (committed before the kill, not stored again)"
                        + " (%d retries); HAProxy backend counters: %s; %d rows stored for %d events sent%n",
                all.size(), tally(all), ms(dead - kill), victim, ms(markedDown - kill), failed.size(),
                failedAfterKill.size(), failed.stream().limit(8).toList(),
                retriedIds.size() + " of " + failed.size() + " acknowledged",
                retries.stream().filter(Exchange::replayed).count(), retries.size(), haproxyErrors, rows,
                everyPayload.size());

        List<Executable> checks = new ArrayList<>();
        checks.add(() -> assertTrue(failedAfterKill.isEmpty(), failedAfterKill.size()
                + " requests sent after the process was gone failed (HAProxy should have sent them elsewhere), e.g. "
                + failedAfterKill.stream().limit(5).toList() + "; HAProxy log for " + victim + ": " + victimLog.size() + " lines"));
        checks.add(() -> assertTrue(failed.size() <= CLIENTS, failed.size() + " failed: more than the " + CLIENTS
                + " requests the clients can have in flight"));
        checks.add(() -> assertTrue(retriedIds.size() == failed.size(), "every failed request, retried with its key,"
                + " is acknowledged in the end: " + retriedIds.size() + " of " + failed.size()));
        checks.add(() -> assertTrue(notOnce.isEmpty(), notOnce.size() + " events not stored exactly once, e.g. "
                + notOnce.stream().limit(5).map(p -> p + " x" + stored.getOrDefault(p, 0)).toList()));
        checks.add(() -> assertTrue(rows == everyPayload.size(), rows + " rows stored for " + everyPayload.size()
                + " events sent, each acknowledged once"));
        checks.add(() -> assertTrue(exits.stream().allMatch(c -> c == 0), "exit codes of the survivors: " + exits));
        assertAll(checks);
    }

    /** SIGTERM to every live instance at once; their exit codes. */
    private List<Integer> stopAll() throws Exception {
        List<SampleProcess> live = cluster.instances().stream().filter(a -> a.process.isAlive()).toList();
        live.forEach(SampleProcess::sigterm);
        List<Integer> exits = new ArrayList<>();
        for (SampleProcess app : live) {
            exits.add(app.awaitExit(EXIT_WITHIN));
        }
        return exits;
    }

    /** When HAProxy first shows {@code server} DOWN (after its failed checks). */
    private long awaitDown(String server) {
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                if (haproxy.status(server).startsWith("DOWN")) {
                    return System.nanoTime();
                }
                TimeUnit.MILLISECONDS.sleep(10); // polling a condition, bounded
            }
            throw new AssertionError("HAProxy never saw " + server + " DOWN");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many times each payload is stored, inbox and events together (every instance stopped). */
    private Map<String, Integer> storedPayloads() throws Exception {
        Map<String, Integer> payloads = new HashMap<>();
        try (Connection c = cluster.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT payload FROM events UNION ALL SELECT payload FROM inbox")) {
            while (rs.next()) {
                payloads.merge(rs.getString(1), 1, Integer::sum);
            }
        }
        return payloads;
    }
}
