package dev.breaker.sample;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * An event that passes validation but that the database refuses later (injected: the pipeline
 * transforms a payload containing the marker into more than the events table holds) is
 * dead-lettered with its reason and does not take its batch-mates with it. The pipeline is slowed
 * down so that events pile up and share batches with the poison.
 */
@QuarkusTest
@TestProfile(PoisonEventTest.Profile.class)
class PoisonEventTest {
    static final String MARKER = "POISON-PILL";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.jdbc.url", "jdbc:h2:mem:poison;DB_CLOSE_DELAY=-1",
                    "sample.pipeline.poison-marker", MARKER,
                    "sample.pipeline.work-per-event", "2ms",
                    "sample.pipeline.batch-size", "50");
        }
    }

    @Test
    void aPoisonEventIsDeadLetteredAndItsBatchMatesArePersisted() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<String>> ordinary = new ArrayList<>();
        String poison;
        try {
            for (int i = 0; i < 60; i++) {
                int n = i;
                ordinary.add(pool.submit(() -> EventsResourceTest.post("ordinary " + n)));
            }
            poison = EventsResourceTest.post("this one is a " + MARKER);
            for (int i = 60; i < 120; i++) {
                int n = i;
                ordinary.add(pool.submit(() -> EventsResourceTest.post("ordinary " + n)));
            }
            for (Future<String> f : ordinary) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().when().get("/events/count")
                .then().statusCode(200).body("pending", equalTo(0)));
        given().when().get("/events/" + poison).then().statusCode(200)
                .body("state", equalTo("failed"))
                .body("reason", containsString("transformed"))   // the column the database refused
                .body("payload", equalTo("this one is a " + MARKER));
        for (Future<String> f : ordinary) {
            given().when().get("/events/" + f.get()).then().statusCode(200).body("state", equalTo("persisted"));
        }
        given().when().get("/events/count").then().statusCode(200)
                .body("count", equalTo(120)).body("failed", equalTo(1));
    }
}
