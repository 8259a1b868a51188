package dev.breaker.sample;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * What a client sees once Intake has stopped (the first step of shutdown): 503 with Retry-After,
 * while reads still work and what was accepted before still gets persisted. Runs in its own
 * application instance (a separate test profile), since it stops a worker by hand.
 */
@QuarkusTest
@TestProfile(IntakeStopTest.Profile.class)
class IntakeStopTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.jdbc.url", "jdbc:h2:mem:intake-stop;DB_CLOSE_DELAY=-1");
        }
    }

    @Inject
    Intake intake;

    @Test
    void afterIntakeStopsPostIs503WithRetryAfterAndAcceptedEventsStillPersist() {
        String id = EventsResourceTest.post("accepted before the stop");

        intake.stop(); // what the Breaker extension calls first at shutdown
        assertFalse(intake.accepting());

        given().contentType(ContentType.JSON).body("{\"payload\": \"too late\"}")
                .when().post("/events")
                .then().statusCode(503).contentType(ContentType.JSON)
                .header("Retry-After", equalTo("5"))
                .body("error", containsString("shutting down"));

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                given().when().get("/events/" + id).then().statusCode(200));
        given().when().get("/events/count").then().statusCode(200).body("count", equalTo(1));
    }
}
