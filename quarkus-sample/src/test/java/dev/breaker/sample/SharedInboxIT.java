package dev.breaker.sample;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three instances of the packaged sample share one inbox on PostgreSQL ({@link Cluster}): every
 * acknowledged event is moved exactly once, by whichever pipeline claims it, and the batch an
 * instance had claimed when it was killed ({@code kill -9}) is moved by the others.
 */
class SharedInboxIT {
    static final List<String> NAMES = List.of("a", "b", "c");
    static final String VICTIM = "a";
    static final int CLIENTS_PER_INSTANCE = 2;
    static final Duration FINISH_WITHIN = Duration.ofSeconds(90);
    static final Pattern MOVED = Pattern.compile("Pipeline stopped: (\\d+) events moved by this instance");

    Cluster cluster;

    @BeforeEach
    void setUp(TestInfo test) throws Exception {
        Path work = Files.createDirectories(Path.of(System.getProperty("sample.work.dir", "target/it")));
        Path dir = Files.createTempDirectory(work, getClass().getSimpleName() + "-" + test.getTestMethod().orElseThrow().getName() + "-");
        cluster = Cluster.onNewDatabase(dir);
    }

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    @Test
    void threeInstancesMoveEveryEventOnceAndAKilledInstancesClaimGoesToTheOthers() throws Exception {
        // the victim's pipeline takes 1 s per event, so a claim of its own begun less than half a
        // second ago is still in flight when the kill follows a few milliseconds later, and
        // claims at most 2 events, so it begins a new claim every 2 s at most; the others take
        // 1 ms per event, so that all three compete for the rows
        Map<String, String> slow = Map.of("sample.pipeline.work-per-event", "1s", "sample.pipeline.batch-size", "2");
        Map<String, String> busy = Map.of("sample.pipeline.work-per-event", "1ms");
        List<CompletableFuture<SampleProcess>> starts = NAMES.stream()
                .map(n -> cluster.startAsync(n, n.equals(VICTIM) ? slow : busy)).toList();
        Cluster.awaitAll(NAMES, starts);
        Map<String, Clients> clients = new HashMap<>();
        for (String name : NAMES) {
            clients.put(name, new Clients(cluster.instance(name).uri("/events"), CLIENTS_PER_INSTANCE, -1, null,
                    "to-" + name, false));
        }
        long began = System.nanoTime();
        try {
            for (Clients c : clients.values()) {
                assertTrue(c.awaitAccepted(200, Duration.ofSeconds(120)), "clients: " + c);
            }

            List<String> claimed = awaitClaimOf(VICTIM, Duration.ofSeconds(30));
            Instant killedAt = Instant.now();
            clients.get(VICTIM).faultComing();
            cluster.instance(VICTIM).kill9();
            for (String name : NAMES) {
                if (!name.equals(VICTIM)) {
                    Clients c = clients.get(name);
                    assertTrue(c.awaitAccepted(c.accepted.size() + 100, Duration.ofSeconds(60)), "after the kill: " + c);
                }
            }
            for (Clients c : clients.values()) {
                c.close();
            }
            await().atMost(FINISH_WITHIN).pollInterval(Duration.ofMillis(100)).until(() -> pending() == 0);
            System.out.printf("PostgreSQL, 3 instances sharing the inbox, kill -9 of %s with %d events claimed: %s; %d ms%n",
                    VICTIM, claimed.size(), clients, (System.nanoTime() - began) / 1_000_000);

            for (Clients c : clients.values()) {
                assertTrue(c.unexpected.isEmpty(), "unexpected answers: " + c.unexpected);
            }
            assertMovedByOthersAfter(claimed, killedAt);
            assertEveryAcknowledgedEventStoredOnce(clients.values());
            for (SampleProcess app : cluster.instances()) {
                // two pipelines on the same rows would fail each other's batches (a duplicate key or
                // a row deleted under them) and report false dead letters
                assertTrue(app.lines.stream().noneMatch(l -> l.contains("Pipeline: a batch of") || l.contains("dead letter")
                        || l.contains(" ERROR ")), "a pipeline met another one's rows, or an error; log: " + app.log);
            }
            for (String name : NAMES) {
                if (!name.equals(VICTIM)) {
                    cluster.instance(name).sigterm();
                }
            }
            for (String name : NAMES) {
                if (!name.equals(VICTIM)) {
                    SampleProcess app = cluster.instance(name);
                    assertEquals(0, app.awaitExit(DurabilityContract.EXIT_WITHIN), "exit code; log: " + app.log);
                    String moved = app.find(MOVED);
                    assertNotNull(moved, "the pipeline's summary; log: " + app.log);
                    assertTrue(Long.parseLong(moved) > 0, name + " took its share of the inbox; log: " + app.log);
                }
            }
        } finally {
            for (Clients c : clients.values()) {
                c.close();
            }
        }
    }

    /**
     * The inbox ids that {@code instance} holds locked in a transaction begun less than half a
     * second ago and still open (its pipeline's claim, the rows' {@code xmax} being that
     * transaction), once there are some: waits for such a claim at most {@code within}.
     */
    private List<String> awaitClaimOf(String instance, Duration within) throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection c = cluster.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT i.id FROM inbox i JOIN pg_stat_activity a ON i.xmax = a.backend_xid"
                        + " WHERE a.application_name = ? AND a.datname = current_database() AND a.state = 'idle in transaction'"
                        + " AND a.xact_start > clock_timestamp() - INTERVAL '500 milliseconds'")) {
            ps.setString(1, instance);
            await("inbox rows locked by a transaction of instance " + instance)
                    .atMost(within).pollInterval(Duration.ofMillis(20)).until(() -> {
                ids.clear();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
                return !ids.isEmpty();
            });
        }
        return ids;
    }

    private long pending() throws Exception {
        try (Connection c = cluster.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM inbox WHERE failed_at IS NULL")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The killed instance's claim was moved, after the kill, so by another instance. */
    private void assertMovedByOthersAfter(List<String> claimed, Instant killedAt) throws Exception {
        List<String> wrong = new ArrayList<>();
        try (Connection c = cluster.connect();
             PreparedStatement ps = c.prepareStatement("SELECT persisted_at FROM events WHERE id = ?")) {
            for (String id : claimed) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        wrong.add(id + " not in events");
                    } else if (!rs.getTimestamp(1).toInstant().isAfter(killedAt)) {
                        wrong.add(id + " persisted at " + rs.getTimestamp(1).toInstant() + ", before the kill at " + killedAt);
                    }
                }
            }
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " of the " + claimed.size() + " claimed events: " + wrong);
    }

    private void assertEveryAcknowledgedEventStoredOnce(Iterable<Clients> all) throws Exception {
        Set<String> accepted = new HashSet<>();
        long possible = 0;
        for (Clients c : all) {
            accepted.addAll(c.accepted);
            possible += c.accepted.size() + c.unanswered.get() + c.refused.get();
        }
        Set<String> stored = new HashSet<>();
        long rows;
        long payloads;
        long inbox;
        try (Connection c = cluster.connect(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT id FROM events")) {
                while (rs.next()) {
                    stored.add(rs.getString(1));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*), COUNT(DISTINCT payload) FROM events")) {
                rs.next();
                rows = rs.getLong(1);
                payloads = rs.getLong(2);
            }
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM inbox")) {
                rs.next();
                inbox = rs.getLong(1);
            }
        }
        Set<String> missing = new HashSet<>(accepted);
        missing.removeAll(stored);
        assertTrue(missing.isEmpty(), missing.size() + " acknowledged events are not in the events table, e.g. "
                + missing.stream().limit(5).toList());
        assertEquals(0, inbox, "the inbox is empty: nothing failed, nothing left");
        assertEquals(rows, payloads, "every payload was posted once, so it is stored once");
        assertTrue(rows >= accepted.size() && rows <= possible, "stored " + rows + ", acknowledged " + accepted.size()
                + ", possibly stored " + possible);
        assertFalse(accepted.isEmpty());
    }
}
