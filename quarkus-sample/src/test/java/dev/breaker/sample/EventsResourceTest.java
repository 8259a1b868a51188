package dev.breaker.sample;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
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
    void aQueuedEventIsTransformedPersistedAndReadable() {
        String id = post("  hello   breaker ");
        await().atMost(PERSIST_WITHIN).untilAsserted(() ->
                given().when().get("/events/" + id).then().statusCode(200));
        given().when().get("/events/" + id)
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("id", equalTo(id))
                .body("payload", equalTo("  hello   breaker "))
                .body("transformed", equalTo("HELLO BREAKER"))
                .body("receivedAt", notNullValue())
                .body("persistedAt", notNullValue());
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
                .body("error", containsString("no persisted event"));
        given().when().get("/events/not-an-id").then().statusCode(404);
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
    })
    void malformedBodiesAre400WithAClearMessage(String body, String message) {
        given().contentType(ContentType.JSON).body(body == null ? "" : body)
                .when().post("/events")
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("error", containsString(message));
    }

    @Test
    void tooLongPayloadIs400() {
        String big = "x".repeat(EventsResource.MAX_PAYLOAD + 1);
        given().contentType(ContentType.JSON).body("{\"payload\": \"" + big + "\"}")
                .when().post("/events")
                .then().statusCode(400)
                .body("error", containsString("the limit is " + EventsResource.MAX_PAYLOAD));
    }

    @Test
    void nonJsonContentTypeIs415() {
        given().contentType(ContentType.TEXT).body("hello")
                .when().post("/events")
                .then().statusCode(415);
    }
}
