package dev.breaker.sample;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;

/** The test profile sets breaker.request.timeout=200ms (application.properties, %test). */
@QuarkusTest
class SlowResourceTest {

    @Test
    void workThatFitsTheBudgetIs200WithTheWholeResult() {
        given().queryParam("ms", 50)
                .when().get("/slow")
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("requestedMs", equalTo(50))
                .body("doneMs", equalTo(50))
                .body("complete", equalTo(true))
                .body("result", equalTo("abcde"));
    }

    @Test
    void workLongerThanTheBudgetIs206WithThePartDone() {
        long t0 = System.nanoTime();
        given().queryParam("ms", 10_000)
                .when().get("/slow")
                .then().statusCode(206).contentType(ContentType.JSON)
                .header("X-Breaker-Reason", containsString("timeout"))
                .body("requestedMs", equalTo(10_000))
                .body("complete", equalTo(false))
                .body("doneMs", allOf(greaterThan(0), lessThan(10_000)))
                .body("reason", containsString("timeout"));
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        // 200 ms budget; generous bound for a loaded 2-core machine, far below the 10 s asked for
        org.junit.jupiter.api.Assertions.assertTrue(tookMs < 5_000, "took " + tookMs + " ms");
    }

    @Test
    void zeroIsAnEmptyCompleteResult() {
        given().queryParam("ms", 0).when().get("/slow")
                .then().statusCode(200).body("complete", equalTo(true)).body("result", equalTo(""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "-1", "1.5", "999999999"})
    void badMsIs400(String ms) {
        given().queryParam("ms", ms).when().get("/slow")
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("error", containsString("ms must be"));
    }

    @Test
    void missingMsIs400() {
        given().when().get("/slow").then().statusCode(400);
    }
}
