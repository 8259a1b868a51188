package dev.breaker.sample;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code Idempotency-Key} across two instances of the packaged sample on one PostgreSQL database
 * ({@link Cluster}): a repeat answers the first request's id whichever instance it reaches, at
 * whatever moment, and the event is stored once. (Malformed keys and the in-process cases on H2:
 * {@link IdempotencyKeyTest}; retries after {@code kill -9} of a single instance, on H2 and
 * PostgreSQL: {@link DurabilityContract}.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdempotencyIT {
    static final List<String> NAMES = List.of("a", "b");

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    Cluster cluster;

    @BeforeAll
    void startTwoInstances() throws Exception {
        Path work = Files.createDirectories(Path.of(System.getProperty("sample.work.dir", "target/it")));
        cluster = Cluster.onNewDatabase(Files.createTempDirectory(work, getClass().getSimpleName() + "-"));
        cluster.startAll(NAMES, Map.of());
    }

    @AfterAll
    void stop() {
        cluster.close();
    }

    record Answer(int status, String id, boolean replayed, String body) {
    }

    Answer post(String instance, String payload, String key) throws Exception {
        HttpResponse<String> r = http.send(Clients.post(cluster.instance(instance).uri("/events"), payload, key),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), Clients.idOf(r.body()),
                r.headers().firstValue("Idempotent-Replayed").filter("true"::equals).isPresent(), r.body());
    }

    /** How many events (in the inbox or moved) have each payload that contains {@code part}. */
    Map<String, Long> storedContaining(String part) throws Exception {
        Map<String, Long> counts = new HashMap<>();
        try (Connection c = cluster.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT payload, COUNT(*) FROM (SELECT payload FROM inbox UNION ALL SELECT payload FROM events) t"
                        + " WHERE payload LIKE ? GROUP BY payload")) {
            ps.setString(1, "%" + part + "%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return counts;
    }

    /** Events (in the inbox or moved) with this payload. */
    long stored(String payload) throws Exception {
        try (Connection c = cluster.connect()) {
            return TestDatabase.eventsWithPayload(c, payload);
        }
    }

    @Test
    void sequentialRepeatsOnEitherInstanceAnswerTheFirstIdAndStoreNothing() throws Exception {
        String key = "sequential-" + UUID.randomUUID();
        String payload = "payload of " + key;
        Answer first = post("a", payload, key);
        assertEquals(202, first.status(), first.body());
        assertFalse(first.replayed(), "the first request is no replay: " + first);
        for (String instance : List.of("a", "b", "b", "a")) {
            Answer again = post(instance, payload, key);
            assertEquals(202, again.status(), again.body());
            assertEquals(first.id(), again.id(), "a repeat on " + instance + " answers the first id");
            assertTrue(again.replayed(), "a repeat says it is one (Idempotent-Replayed: true): " + again);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> post("b", payload, key).body().contains("\"persisted\""));
        assertEquals(1, stored(payload), "one event for five requests with one key");

        Answer other = post("b", "another payload for " + key, key);
        assertEquals(422, other.status(), "the same key with a different payload: " + other.body());
        assertTrue(other.body().contains("Idempotency-Key"), other.body());
        assertEquals(0, stored("another payload for " + key));
    }

    @Test
    void concurrentRepeatsOnTwoInstancesGetOneIdAndStoreOneEvent() throws Exception {
        int keys = 100;
        int repeats = 4; // per key: two on each instance, at the same time
        String run = UUID.randomUUID().toString();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        Map<String, List<Future<Answer>>> answers = new HashMap<>();
        try {
            for (int k = 0; k < keys; k++) {
                String key = "concurrent-" + run + "-" + k;
                List<Future<Answer>> forKey = new ArrayList<>();
                for (int r = 0; r < repeats; r++) {
                    String instance = NAMES.get(r % NAMES.size());
                    forKey.add(pool.submit(() -> post(instance, "payload of " + key, key)));
                }
                answers.put(key, forKey);
            }
            Set<String> ids = new HashSet<>();
            List<String> wrong = new ArrayList<>();
            for (List<Future<Answer>> forKey : answers.values()) {
                for (Future<Answer> f : forKey) {
                    f.get(60, TimeUnit.SECONDS); // all answered before the count
                }
            }
            Map<String, Long> stored = storedContaining(run);
            for (Map.Entry<String, List<Future<Answer>>> e : answers.entrySet()) {
                Set<String> idsOfKey = new HashSet<>();
                int firsts = 0;
                for (Future<Answer> f : e.getValue()) {
                    Answer a = f.get(60, TimeUnit.SECONDS);
                    if (a.status() != 202) {
                        wrong.add(e.getKey() + ": " + a.status() + " " + a.body());
                    }
                    idsOfKey.add(a.id());
                    firsts += a.replayed() ? 0 : 1;
                }
                if (idsOfKey.size() != 1 || firsts != 1) {
                    wrong.add(e.getKey() + ": ids " + idsOfKey + ", " + firsts + " answers not marked as replays");
                }
                ids.addAll(idsOfKey);
                long n = stored.getOrDefault("payload of " + e.getKey(), 0L);
                if (n != 1) {
                    wrong.add(e.getKey() + ": stored " + n + " times");
                }
            }
            assertTrue(wrong.isEmpty(), wrong.size() + " keys went wrong, e.g. " + wrong.subList(0, Math.min(5, wrong.size())));
            assertEquals(keys, ids.size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void keysAcknowledgedBeforeAKill9AreKnownToTheOtherInstanceAndAfterTheRestart() throws Exception {
        String run = "kill9-" + UUID.randomUUID();
        Clients clients = Clients.keyed(cluster.instance("a").uri("/events"), 4, run);
        try {
            assertTrue(clients.awaitAccepted(300, Duration.ofSeconds(120)), "clients: " + clients);
            clients.faultComing();
            cluster.instance("a").kill9();
        } finally {
            clients.close();
        }
        assertTrue(clients.unexpected.isEmpty(), "unexpected answers: " + clients.unexpected);
        cluster.start("a", Map.of());

        // what clients that lost answers do: send every key again, to either instance
        List<java.net.URI> both = NAMES.stream().map(n -> cluster.instance(n).uri("/events")).toList();
        Clients.Resent resent = clients.resendAll(both, 4);
        System.out.printf("PostgreSQL, kill -9 then every key sent again to 2 instances: %s; %d keys, %d answered as replays%n",
                clients, clients.payloads.size(), resent.replayed().size());
        assertTrue(resent.problems().isEmpty(), resent.problems().size() + " keys went wrong, e.g. "
                + resent.problems().subList(0, Math.min(5, resent.problems().size())));
        assertTrue(resent.replayed().containsAll(clients.acceptedKeys.keySet()), "every acknowledged key is answered as a replay");
        assertEquals(clients.payloads.size(), new HashSet<>(resent.ids().values()).size(), "one id per key");
        List<String> wrong = new ArrayList<>();
        Map<String, Long> stored = storedContaining(run);
        assertEquals(clients.payloads.size(), stored.size(), "events stored for the keys sent");
        for (Map.Entry<String, String> e : clients.payloads.entrySet()) {
            long n = stored.getOrDefault(e.getValue(), 0L);
            if (n != 1) {
                wrong.add(e.getKey() + " stored " + n + " times");
            }
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " keys not stored exactly once, e.g. " + wrong.subList(0, Math.min(5, wrong.size())));
    }
}
