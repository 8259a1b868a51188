package dev.breaker.sample;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /events} with an {@code Idempotency-Key}, in process on H2 (the shipped default):
 * what a key may be, repeats one after the other and at the same time (so within one group
 * commit and across commits), and a repeat with another payload. Across instances on
 * PostgreSQL: {@link IdempotencyIT}.
 */
@QuarkusTest
class IdempotencyKeyTest {
    @Inject
    Store store;

    @Inject
    Intake intake;

    @TestHTTPResource("/")
    URL root;

    static Response post(String payload, String key) {
        return given().contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body("{\"payload\": \"" + payload + "\"}")
                .when().post("/events");
    }

    /** Events (in the inbox or moved) with this payload. */
    long stored(String payload) throws Exception {
        try (Connection c = store.connection()) {
            try {
                return TestDatabase.eventsWithPayload(c, payload);
            } finally {
                c.rollback();
            }
        }
    }

    @Test
    void aRepeatAnswersTheFirstIdAndStoresNothing() throws Exception {
        String key = "order-" + UUID.randomUUID();
        String payload = "once " + key;
        Response first = post(payload, key);
        first.then().statusCode(202).header("Idempotent-Replayed", (String) null).body("state", equalTo("pending"));
        String id = first.path("id");
        post(payload, key).then().statusCode(202).header("Idempotent-Replayed", "true").body("id", equalTo(id));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                given().when().get("/events/" + id).then().statusCode(200).body("state", equalTo("persisted")));
        // the answer says where the event is now
        post(payload, key).then().statusCode(202).header("Idempotent-Replayed", "true")
                .body("id", equalTo(id)).body("state", equalTo("persisted"));
        assertEquals(1, stored(payload));
    }

    @Test
    void theSameKeyWithAnotherPayloadIs422AndStoresNothing() throws Exception {
        String key = "reused-" + UUID.randomUUID();
        post("first use of " + key, key).then().statusCode(202);
        post("second use of " + key, key).then().statusCode(422).contentType(ContentType.JSON)
                .body("error", containsString("Idempotency-Key"))
                .body("error", containsString("different payload"));
        assertEquals(0, stored("second use of " + key));
        assertEquals(1, stored("first use of " + key));
    }

    /**
     * One group commit, written the way the intake's routine writes it (what HTTP cannot arrange
     * for sure): the first request of a key stores its event, a repeat in the same transaction
     * gets its id, another payload with the key is 422, a request without a key is stored.
     */
    @Test
    void requestsOfOneKeyInOneBatchStoreOneEvent() throws Exception {
        String key = "one-batch-" + UUID.randomUUID();
        String payload = "in one batch " + key;
        Intake.Submission first = Intake.Submission.of(payload, key);
        Intake.Submission repeat = Intake.Submission.of(payload, key);
        Intake.Submission other = Intake.Submission.of("another payload " + key, key);
        Intake.Submission plain = Intake.Submission.of(payload, null);
        List<Intake.Outcome> outcomes;
        try (Connection c = store.connection()) {
            outcomes = intake.write(c, List.of(first, repeat, other, plain));
            c.commit();
        }
        String id = first.event().id();
        assertEquals(new Intake.Receipt(id, "pending", false), outcomes.get(0).receipt());
        assertEquals(new Intake.Receipt(id, "pending", true), outcomes.get(1).receipt());
        assertEquals(422, outcomes.get(2).rejection().status());
        assertEquals(new Intake.Receipt(plain.event().id(), "pending", false), outcomes.get(3).receipt());
        assertEquals(2, stored(payload), "the first request's event and the one without a key");
        assertEquals(0, stored("another payload " + key));
        // and a later batch sees the committed key
        post(payload, key).then().statusCode(202).header("Idempotent-Replayed", "true").body("id", equalTo(id));
    }

    @Test
    void withoutAKeyEveryPostIsANewEvent() throws Exception {
        String payload = "no key " + UUID.randomUUID();
        String a = EventsResourceTest.post(payload);
        String b = EventsResourceTest.post(payload);
        assertTrue(!a.equals(b), "two posts without a key are two events");
        assertEquals(2, stored(payload));
    }

    @Test
    void concurrentRepeatsGetOneIdAndStoreOneEvent() throws Exception {
        // 8 threads, 6 requests per key in a row: a key's repeats meet in one group commit or in
        // commits one after the other
        int keys = 10;
        int repeats = 6;
        String run = UUID.randomUUID().toString();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<List<Future<Response>>> answers = new ArrayList<>();
            for (int k = 0; k < keys; k++) {
                String key = "concurrent-" + run + "-" + k;
                List<Future<Response>> forKey = new ArrayList<>();
                for (int r = 0; r < repeats; r++) {
                    forKey.add(pool.submit(() -> post("payload of " + key, key)));
                }
                answers.add(forKey);
            }
            Set<String> all = new HashSet<>();
            for (int k = 0; k < keys; k++) {
                Set<String> ids = new HashSet<>();
                int firsts = 0;
                for (Future<Response> f : answers.get(k)) {
                    Response r = f.get(60, TimeUnit.SECONDS);
                    assertEquals(202, r.statusCode(), r.asString());
                    ids.add(r.path("id"));
                    firsts += "true".equals(r.header("Idempotent-Replayed")) ? 0 : 1;
                }
                assertEquals(1, ids.size(), "key " + k + ": one id for " + repeats + " requests: " + ids);
                assertEquals(1, firsts, "key " + k + ": exactly one answer is not a replay");
                assertEquals(1, stored("payload of concurrent-" + run + "-" + k), "key " + k + " stored once");
                all.addAll(ids);
            }
            assertEquals(keys, all.size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void twoHundredPrintableAsciiCharactersAreAKey() {
        StringBuilder key = new StringBuilder();
        for (char c = 0x20; key.length() < 200; c = c == 0x7e ? 0x20 : (char) (c + 1)) {
            key.append(c);
        }
        String k = "k" + key.substring(1, 199) + "k"; // no leading or trailing space: HTTP would strip it
        String id = post("the longest key", k).then().statusCode(202).extract().path("id");
        assertNotNull(id);
        post("the longest key", k).then().statusCode(202).body("id", equalTo(id));
    }

    @ParameterizedTest(name = "[{index}] {0} characters")
    @ValueSource(ints = {0, 201})
    void aKeyOfTheWrongLengthIs400NamingTheHeader(int length) {
        post("bad key", "x".repeat(length)).then().statusCode(400).contentType(ContentType.JSON)
                .body("error", containsString("Idempotency-Key"))
                .body("error", containsString("1 to 200"));
    }

    /**
     * Written byte by byte: HTTP clients refuse or rewrite such header values before sending them.
     * Some never reach the application: the HTTP server itself answers 400 (without a body).
     */
    @ParameterizedTest(name = "[{index}] bytes {0}: 400 from the {1}")
    @CsvSource({"09, application", "e9, application", "c3a9, application", "01, HTTP server", "7f, HTTP server"})
    void aKeyWithAControlOrNonAsciiByteIs400(String hex, String answeredBy) throws Exception {
        byte[] body = "{\"payload\": \"bad key\"}".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(("POST /events HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\nIdempotency-Key: abc")
                .getBytes(StandardCharsets.US_ASCII));
        request.writeBytes(HexFormat.of().parseHex(hex));
        request.writeBytes("def\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        request.writeBytes(body);
        String answer;
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), root.getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.toByteArray());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            s.getInputStream().transferTo(out);
            answer = out.toString(StandardCharsets.ISO_8859_1);
        }
        assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
        if (answeredBy.equals("application")) {
            assertTrue(answer.contains("Idempotency-Key") && answer.contains("printable ASCII"), answer);
        }
    }

    @Test
    void twoKeysInOneRequestAre400() {
        given().contentType(ContentType.JSON).header("Idempotency-Key", "one").header("Idempotency-Key", "two")
                .body("{\"payload\": \"two keys\"}")
                .when().post("/events")
                .then().statusCode(400).body("error", containsString("Idempotency-Key"));
    }
}
