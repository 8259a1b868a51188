package dev.breaker.sample;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
class EventsResourceTest {
    private static final Duration PERSIST_WITHIN = Duration.ofSeconds(15);

    static String post(String payload) {
        return given().contentType(ContentType.JSON).body("{\"payload\": \"" + payload + "\"}")
                .when().post("/events")
                .then().statusCode(202)
                .body("id", matchesPattern("[0-9a-f-]{36}"))
                .extract().path("id");
    }

    static long count() {
        return given().when().get("/events/count")
                .then().statusCode(200).contentType(ContentType.JSON)
                .extract().jsonPath().getLong("count");
    }

    @Test
    void anAcknowledgedEventIsReadableAtOnceThenTransformedAndPersisted() {
        String id = post("  hello   breaker ");
        // from the 202 on, never a 404: pending (in the inbox) or already persisted
        given().when().get("/events/" + id)
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("id", equalTo(id))
                .body("state", anyOf(equalTo("pending"), equalTo("persisted")));
        await().atMost(PERSIST_WITHIN).untilAsserted(() ->
                given().when().get("/events/" + id).then().statusCode(200).body("state", equalTo("persisted")));
        given().when().get("/events/" + id)
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("id", equalTo(id))
                .body("state", equalTo("persisted"))
                .body("payload", equalTo("  hello   breaker "))
                .body("transformed", equalTo("HELLO BREAKER"))
                .body("receivedAt", notNullValue())
                .body("persistedAt", notNullValue());
    }

    @Test
    void manyConcurrentPostsShareCommitsAndEveryOneIsReadableAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> ids = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                int n = i;
                ids.add(pool.submit(() -> {
                    String id = post("concurrent " + n);
                    given().when().get("/events/" + id).then().statusCode(200);
                    return id;
                }));
            }
            for (Future<String> f : ids) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void countCountsPersistedEvents() {
        long before = count();
        for (int i = 0; i < 5; i++) {
            post("event " + i);
        }
        await().atMost(PERSIST_WITHIN).until(() -> count() >= before + 5);
    }

    @Test
    void unknownIdIs404() {
        given().when().get("/events/00000000-0000-0000-0000-000000000000")
                .then().statusCode(404).contentType(ContentType.JSON)
                .body("error", containsString("no event with id"));
        given().when().get("/events/not-an-id").then().statusCode(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"%00", "%00%00", "a%00b", "%FF%FE", "%C0%80", "%E2%80%8F"})
    void idsWithControlOrBrokenCharactersAre404NotErrors(String rawId) {
        given().urlEncodingEnabled(false).when().get("/events/" + rawId)
                .then().statusCode(404).contentType(ContentType.JSON)
                .body("error", containsString("no event with id"));
    }

    static io.restassured.response.ValidatableResponse postBytes(byte[] body, String contentType) {
        return given().contentType(contentType).body(body).when().post("/events").then();
    }

    static byte[] concat(String before, byte[] middle, String after) {
        byte[] a = before.getBytes(StandardCharsets.UTF_8);
        byte[] c = after.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[a.length + middle.length + c.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(middle, 0, out, a.length, middle.length);
        System.arraycopy(c, 0, out, a.length + middle.length, c.length);
        return out;
    }

    @ParameterizedTest(name = "bytes {0}")
    @ValueSource(strings = {"ff", "c3", "c328", "e28228", "f0908c", "c080", "eda080", "f8888080af"})
    void invalidUtf8Is400NeverReplacementCharacters(String hex) {
        byte[] bad = java.util.HexFormat.of().parseHex(hex);
        postBytes(concat("{\"payload\": \"x", bad, "y\"}"), "application/json")
                .statusCode(400).body("error", containsString("not valid UTF-8"));
    }

    @Test
    void aDeclaredLatin1BodyIsDecodedAsLatin1() {
        byte[] body = concat("{\"payload\": \"caf", new byte[] {(byte) 0xE9}, "\"}");
        String id = postBytes(body, "application/json; charset=ISO-8859-1").statusCode(202).extract().path("id");
        given().when().get("/events/" + id).then().statusCode(200).body("payload", equalTo("caf\u00e9"));
    }

    @Test
    void anUnknownCharsetIs400() {
        postBytes("{\"payload\": \"x\"}".getBytes(StandardCharsets.UTF_8), "application/json; charset=x-no-such")
                .statusCode(400).body("error", containsString("unknown charset"));
    }

    @ParameterizedTest(name = "{0} -> 400 {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "`{\"payload\": \"a\\u0000b\"}`          | NUL",
            "`{\"payload\": \"\\u0000\"}`            | NUL",
            "`{\"payload\": \"a\\ud800b\"}`          | unpaired surrogate",
            "`{\"payload\": \"a\\udc00\"}`           | unpaired surrogate",
            "`{\"payload\": \"\\udc00\\ud800\"}`   | unpaired surrogate",
    })
    void unstorableCharactersAre400(String body, String message) {
        postBytes(body.getBytes(StandardCharsets.UTF_8), "application/json")
                .statusCode(400).body("error", containsString(message));
    }

    @Test
    void aPairedSurrogateIsFine() {
        String id = postBytes("{\"payload\": \"\\ud83d\\ude00 ok\"}".getBytes(StandardCharsets.UTF_8), "application/json")
                .statusCode(202).extract().path("id");
        await().atMost(PERSIST_WITHIN).untilAsserted(() -> given().when().get("/events/" + id)
                .then().statusCode(200).body("state", equalTo("persisted")).body("transformed", equalTo("\ud83d\ude00 OK")));
    }

    @Test
    void aPayloadThatOutgrowsTheLimitOnceTransformedIs400() {
        // "ß" upper-cases to "SS": 4000 characters become 8000
        postBytes(("{\"payload\": \"" + "\u00df".repeat(Payloads.MAX_PAYLOAD) + "\"}").getBytes(StandardCharsets.UTF_8),
                "application/json").statusCode(400).body("error", containsString("once transformed"));
    }

    @ParameterizedTest(name = "{0} -> 400 {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "``                               | the body is empty",
            "`{\"payload\": `                 | not valid JSON",
            "`not json`                       | not valid JSON",
            "`[\"payload\"]`                  | must be a JSON object",
            "`\"payload\"`                    | must be a JSON object",
            "`{}`                             | \"payload\" is missing",
            "`{\"payload\": null}`            | \"payload\" is missing",
            "`{\"text\": \"hi\"}`             | \"payload\" is missing",
            "`{\"payload\": 42}`              | must be a string, not number",
            "`{\"payload\": {\"a\": 1}}`      | must be a string, not object",
            "`{\"payload\": \"   \"}`         | must not be blank",
            "`{\"payload\": \"a\"} trailing`  | not valid JSON",
            "`{\"payload\": \"a\"}{}`         | not valid JSON",
            "`{\"payload\": \"a\", \"payload\": \"b\"}` | not valid JSON",
    })
    void malformedBodiesAre400WithAClearMessage(String body, String message) {
        given().contentType(ContentType.JSON).body(body == null ? "" : body)
                .when().post("/events")
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("error", containsString(message));
    }

    @Test
    void tooLongPayloadIs400() {
        String big = "x".repeat(Payloads.MAX_PAYLOAD + 1);
        given().contentType(ContentType.JSON).body("{\"payload\": \"" + big + "\"}")
                .when().post("/events")
                .then().statusCode(400)
                .body("error", containsString("the limit is " + Payloads.MAX_PAYLOAD));
    }

    @Test
    void nonJsonContentTypeIs415() {
        given().contentType(ContentType.TEXT).body("hello")
                .when().post("/events")
                .then().statusCode(415);
    }
}
