package dev.breaker.sample;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The promise of the sample, a 202 is durable, against the packaged application in processes of
 * its own, with {@value #CLIENTS} concurrent clients that record every id that got a 202; after
 * each fault the application is started again on the same database and every one of those ids
 * must be there, exactly once. One runner per database ({@link H2DurabilityIT},
 * {@link PostgresDurabilityIT}).
 */
abstract class DurabilityContract {
    static final int CLIENTS = 8;
    /** Generous: breaker.shutdown.timeout (20 s) plus the HTTP drain, on a loaded 2-core machine. */
    static final Duration EXIT_WITHIN = Duration.ofSeconds(45);
    static final Duration FINISH_WITHIN = Duration.ofSeconds(180);
    static final String POISON = "POISON-PILL";
    static final Duration POLL = Duration.ofMillis(100);
    static final Pattern REMAIN = Pattern.compile("Store stopped: \\d+ events persisted, (\\d+) remain in the inbox");
    static final Pattern TO_FINISH = Pattern.compile("Store started \\([^)]*\\): \\d+ events persisted, (\\d+) in the inbox to finish");

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    final List<SampleProcess> apps = new ArrayList<>();
    Path dir;
    TestDatabase db;

    /** A fresh database for one test; {@code dir} is the test's working directory. */
    abstract TestDatabase newDatabase(Path dir) throws Exception;

    @BeforeEach
    void setUp(TestInfo test) throws Exception {
        Path work = Files.createDirectories(Path.of(System.getProperty("sample.work.dir", "target/it")));
        dir = Files.createTempDirectory(work, getClass().getSimpleName() + "-" + test.getTestMethod().orElseThrow().getName() + "-");
        db = newDatabase(dir);
    }

    @AfterEach
    void killLeftovers() {
        apps.forEach(SampleProcess::close);
    }

    SampleProcess start(String name, Map<String, String> extra) throws Exception {
        Map<String, String> config = new HashMap<>(db.settings());
        // durability, not load balancing: no readiness delay (the shipped 5 s would add up to a
        // minute and a half over these tests; ShutdownSequenceIT and the HAProxy test run with one)
        config.put("breaker.shutdown.readiness-delay", "0s");
        config.putAll(extra);
        SampleProcess app = SampleProcess.start(dir, name, config);
        apps.add(app);
        return app;
    }

    @Test
    void sigtermWithoutBacklogLosesNothing() throws Exception {
        SampleProcess first = start("first", Map.of());
        assertStartedInDependencyOrder(first);
        Clients clients = new Clients(first.uri("/events"), CLIENTS);
        assertTrue(clients.awaitAccepted(1000, Duration.ofSeconds(180)), "clients: " + clients);
        clients.faultComing();
        first.sigterm();
        int exit = first.awaitExit(EXIT_WITHIN);
        clients.close();
        report("SIGTERM, no backlog", clients, first);

        assertEquals(0, exit, "exit code after SIGTERM; log: " + first.log);
        assertTrue(clients.unexpected.isEmpty(), "unexpected answers: " + clients.unexpected);
        assertStoppedInReverseOrder(first);
        assertNoErrors(first);
        assertEquals("0", first.find(REMAIN), "the pipeline had time to empty the inbox; log: " + first.log);
        Matcher group = Pattern.compile("Intake stopped: (\\d+) events acknowledged by this instance in (\\d+) commits")
                .matcher(first.lines.stream().filter(l -> l.contains("Intake stopped")).findFirst().orElse(""));
        assertTrue(group.find(), "the intake's summary; log: " + first.log);
        long acknowledged = Long.parseLong(group.group(1));
        long commits = Long.parseLong(group.group(2));
        System.out.printf("%s group commit: %d events in %d commits (%.1f per commit)%n", db.kind(), acknowledged, commits,
                (double) acknowledged / commits);
        assertTrue(commits < acknowledged, "concurrent requests share commits: " + acknowledged + " events, " + commits + " commits");

        SampleProcess second = start("second", Map.of());
        assertEveryAcknowledgedEventThereOnce(second, clients);
    }

    @Test
    void sigtermWithABacklogThreeTimesTheStopBudgetLeavesItInTheInbox() throws Exception {
        // the stop budget is the pipeline's drain timeout: 2 s at 2 ms per event is 1,000 events;
        // SIGTERM once 3,000 wait in the inbox
        Duration budget = Duration.ofSeconds(2);
        Duration perEvent = Duration.ofMillis(2);
        int backlog = (int) (3 * budget.toMillis() / perEvent.toMillis());
        Map<String, String> slow = Map.of("sample.pipeline.work-per-event", perEvent.toMillis() + "ms",
                "sample.pipeline.drain-timeout", budget.toMillis() + "ms");
        SampleProcess first = start("first", slow);
        Clients clients = new Clients(first.uri("/events"), CLIENTS);
        long pending = awaitPending(first, backlog, Duration.ofSeconds(240));
        clients.faultComing();
        first.sigterm();
        int exit = first.awaitExit(EXIT_WITHIN);
        clients.close();
        report("SIGTERM, backlog " + pending + " (3x the stop budget)", clients, first);

        assertEquals(0, exit, "exit code after SIGTERM: every acknowledged event is in the inbox; log: " + first.log);
        assertTrue(clients.unexpected.isEmpty(), "unexpected answers: " + clients.unexpected);
        assertStoppedInReverseOrder(first);
        assertNoErrors(first);
        String remain = first.find(REMAIN);
        assertNotNull(remain, "the log says how many remain in the inbox; log: " + first.log);
        assertTrue(Long.parseLong(remain) > 0, "a backlog 3x the budget cannot be finished within it; log: " + first.log);

        SampleProcess second = start("second", Map.of());
        assertEquals(remain, second.find(TO_FINISH), "the next start finds exactly what was left; log: " + second.log);
        assertEveryAcknowledgedEventThereOnce(second, clients);
    }

    @Test
    void kill9MidStreamLosesNoAcknowledgedEvent() throws Exception {
        // a little work per event, so that the inbox holds events at the kill too
        SampleProcess first = start("first", Map.of("sample.pipeline.work-per-event", "1ms"));
        Clients clients = new Clients(first.uri("/events"), CLIENTS);
        assertTrue(clients.awaitAccepted(1500, Duration.ofSeconds(180)), "clients: " + clients);
        clients.faultComing();
        first.kill9();
        clients.close();
        report("kill -9", clients, first);
        assertTrue(clients.unexpected.isEmpty(), "unexpected answers: " + clients.unexpected);

        SampleProcess second = start("second", Map.of());
        assertEveryAcknowledgedEventThereOnce(second, clients);
    }

    @Test
    void afterKill9ClientsThatRetryWithTheirIdempotencyKeysStoreEveryEventOnce() throws Exception {
        SampleProcess first = start("first", Map.of("sample.pipeline.work-per-event", "1ms"));
        Clients clients = Clients.keyed(first.uri("/events"), CLIENTS, "keyed");
        assertTrue(clients.awaitAccepted(500, Duration.ofSeconds(180)), "clients: " + clients);
        clients.faultComing();
        first.kill9();
        clients.close();
        report("kill -9 with Idempotency-Key", clients, first);
        assertTrue(clients.unexpected.isEmpty(), "unexpected answers: " + clients.unexpected);

        // each client sends again every event it sent: the acknowledged ones (as a client that
        // lost the answer would) and the ones without a 202
        SampleProcess second = start("second", Map.of());
        Clients.Resent resent = clients.resendAll(List.of(second.uri("/events")), 4);
        System.out.printf("%s: %d keys sent again after kill -9; %d answered as replays (%d acknowledged before)%n", db.kind(),
                clients.payloads.size(), resent.replayed().size(), clients.acceptedKeys.size());
        assertTrue(resent.problems().isEmpty(), resent.problems().size() + " keys went wrong, e.g. "
                + resent.problems().subList(0, Math.min(5, resent.problems().size())));
        assertTrue(resent.replayed().containsAll(clients.acceptedKeys.keySet()), "every acknowledged key is a replay");
        assertEquals(clients.payloads.size(), new HashSet<>(resent.ids().values()).size(), "one id per key");
        assertEveryAcknowledgedEventThereOnce(second, clients); // stops it
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*), COUNT(DISTINCT payload) FROM events")) {
            rs.next();
            assertEquals(clients.payloads.size(), rs.getLong(1), "one event per key, none twice");
            assertEquals(rs.getLong(1), rs.getLong(2), "no payload stored twice");
        }
    }

    @Test
    void aPoisonEventAmongSixThousandHarmsNoOther() throws Exception {
        // a little work per event, so that events queue up and the poison shares its batch
        Map<String, String> poison = Map.of("sample.pipeline.poison-marker", POISON, "sample.pipeline.work-per-event", "1ms");
        SampleProcess first = start("first", poison);
        Clients clients = new Clients(first.uri("/events"), CLIENTS, 3000, POISON);
        assertTrue(clients.awaitAccepted(6001, Duration.ofSeconds(300)), "clients: " + clients);
        clients.close();
        report("poison among 6,000", clients, first);
        assertTrue(clients.unexpected.isEmpty(), "unexpected answers: " + clients.unexpected);
        String poisonId = clients.poisonId.get();
        assertNotNull(poisonId, "the poison event was acknowledged (it passes validation)");
        assertEveryAcknowledgedEventThereOnce(first, clients);
        String batch = first.find(Pattern.compile("Pipeline: a batch of (\\d+) failed"));
        assertNotNull(batch, "the poison failed a batch, which was retried row by row; log: " + first.log);
        assertTrue(Integer.parseInt(batch) > 1, "the poison had batch-mates (else this proves nothing); log: " + first.log);
    }

    // ---- checks ------------------------------------------------------------------------------

    /**
     * Waits until the inbox is empty, then: every acknowledged id answers 200 {@code persisted}
     * ({@code failed} for the poison); the totals are between the acknowledged and everything
     * possibly stored; after a clean stop no id is in both tables.
     */
    void assertEveryAcknowledgedEventThereOnce(SampleProcess app, Clients clients) throws Exception {
        await().atMost(FINISH_WITHIN).pollInterval(POLL).until(() -> counts(app).get("pending") == 0);
        Map<String, Long> counts = counts(app);
        List<String> missing = new ArrayList<>();
        for (String id : clients.accepted) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(app.uri("/events/" + id)).build(),
                    HttpResponse.BodyHandlers.ofString());
            String expected = id.equals(clients.poisonId.get()) ? "\"state\":\"failed\"" : "\"state\":\"persisted\"";
            if (r.statusCode() != 200 || !r.body().contains(expected)) {
                missing.add(id + " -> " + r.statusCode() + " " + r.body());
            }
        }
        long stored = counts.get("count") + counts.get("failed");
        System.out.printf("%s %s: after restart %s; %d acknowledged ids not there%n", db.kind(), getClass().getSimpleName(),
                counts, missing.size());
        assertTrue(missing.isEmpty(), missing.size() + " acknowledged events are missing, e.g. "
                + missing.subList(0, Math.min(5, missing.size())));
        assertTrue(stored >= clients.accepted.size()
                        && stored <= clients.accepted.size() + clients.unanswered.get() + clients.refused.get(),
                "stored " + stored + " for " + clients);
        assertEquals(clients.poisonId.get() == null ? 0L : 1L, counts.get("failed"), "dead letters: " + counts);

        app.sigterm();
        assertEquals(0, app.awaitExit(EXIT_WITHIN), "exit code of the last run; log: " + app.log);
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM events e JOIN inbox i ON e.id = i.id")) {
            rs.next();
            assertEquals(0, rs.getLong(1), "events both in the inbox and in the events table");
        }
    }

    Map<String, Long> counts(SampleProcess app) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(app.uri("/events/count")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        Map<String, Long> counts = new HashMap<>();
        Matcher m = Pattern.compile("\"(\\w+)\"\\s*:\\s*(\\d+)").matcher(r.body());
        while (m.find()) {
            counts.put(m.group(1), Long.parseLong(m.group(2)));
        }
        return counts;
    }

    /** Polls the count (bounded) until at least {@code n} events are pending; returns how many. */
    long awaitPending(SampleProcess app, int n, Duration within) throws Exception {
        await().atMost(within).pollInterval(POLL).until(() -> counts(app).get("pending") >= n);
        return counts(app).get("pending");
    }

    void report(String fault, Clients clients, SampleProcess app) {
        System.out.printf("%s, %s: %s%n", db.kind(), fault, clients);
    }

    static void assertNoErrors(SampleProcess app) {
        assertTrue(app.lines.stream().noneMatch(l -> l.contains(" ERROR ")), "errors in the log: " + app.log);
    }

    static void assertStartedInDependencyOrder(SampleProcess app) {
        int store = app.indexOf("Store started");
        int pipeline = app.indexOf("Pipeline started");
        int intake = app.indexOf("Intake started");
        int listening = app.indexOf("Listening on");
        assertTrue(store >= 0 && store < pipeline && pipeline < intake,
                "start order Store, Pipeline, Intake; log: " + app.log);
        assertTrue(intake < listening, "workers must start eagerly, before the HTTP server opens; log: " + app.log);
    }

    static void assertStoppedInReverseOrder(SampleProcess app) {
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
        int intake = app.indexOf("worker 'intake' stopped in");
        int pipeline = app.indexOf("worker 'pipeline' stopped in");
        int store = app.indexOf("worker 'store' stopped in");
        assertTrue(intake >= 0 && intake < pipeline && pipeline < store,
                "the extension's log shows the stop order Intake -> Pipeline -> Store; log: " + app.log);
    }
}
