package dev.breaker.sample;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** The Breaker extension's health checks (it adds them because MicroProfile Health is present). */
@QuarkusTest
class HealthTest {

    @Test
    void readinessListsEveryWorkerRunning() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("breaker-workers"))
                .body("checks.find { it.name == 'breaker-workers' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'breaker-workers' }.data.store", equalTo("RUNNING"))
                .body("checks.find { it.name == 'breaker-workers' }.data.pipeline", equalTo("RUNNING"))
                .body("checks.find { it.name == 'breaker-workers' }.data.intake", equalTo("RUNNING"));
    }

    @Test
    void livenessIsUp() {
        given().when().get("/q/health/live")
                .then().statusCode(200)
                .body("status", equalTo("UP"));
    }

    @Test
    void theWorkerGraphRouteIsForDevModeOnly() {
        // the Dev UI page's route (DevModeCtrlCIT reads it in dev mode) is not served outside it
        given().when().get("/q/breaker/graph").then().statusCode(404);
    }
}
