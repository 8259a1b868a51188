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

    /**
     * Issue 28: the resource is a singleton with one injected breaker field, and every request
     * still gets a breaker of its own. Before, the field's breaker tripped 200 ms after the
     * resource was made, and every later request answered 206 at once.
     */
    @Test
    void requestsAfterTheBudgetPassedGetABudgetOfTheirOwn() {
        given().queryParam("ms", 10_000).when().get("/slow").then().statusCode(206); // more than 200 ms pass
        for (int i = 0; i < 20; i++) {
            given().queryParam("ms", 20).when().get("/slow")
                    .then().statusCode(200).body("complete", equalTo(true)).body("doneMs", equalTo(20));
        }
    }

    @Test
    void amongConcurrentRequestsOnlyTheSlowOneTrips() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.Future<Integer> slow = pool.submit(() -> {
                go.await();
                return given().queryParam("ms", 10_000).when().get("/slow").then().extract().statusCode();
            });
            java.util.List<java.util.concurrent.Future<Integer>> fast = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                fast.add(pool.submit(() -> {
                    go.await();
                    int status = 0;
                    for (int r = 0; r < 5; r++) { // some of these run while the slow one is tripped
                        status = given().queryParam("ms", 20).when().get("/slow").then().extract().statusCode();
                        if (status != 200) {
                            break;
                        }
                    }
                    return status;
                }));
            }
            go.countDown();
            for (java.util.concurrent.Future<Integer> f : fast) {
                org.junit.jupiter.api.Assertions.assertEquals(200, f.get(30, java.util.concurrent.TimeUnit.SECONDS));
            }
            org.junit.jupiter.api.Assertions.assertEquals(206, slow.get(30, java.util.concurrent.TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
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
