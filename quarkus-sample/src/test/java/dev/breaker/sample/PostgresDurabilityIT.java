package dev.breaker.sample;

import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The durability contract on a real PostgreSQL server (one per test JVM, see
 * {@link EmbeddedPostgresServer}), selected the documented way (the profile {@code postgresql}),
 * plus what only a server can do: go away and come back.
 */
class PostgresDurabilityIT extends DurabilityContract {
    @Override
    TestDatabase newDatabase(Path dir) throws Exception {
        return EmbeddedPostgresServer.get().newDatabase();
    }

    @Test
    void aDatabaseRestartMidStreamIsSurvivedWithoutARestart() throws Exception {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.get();
        SampleProcess app = start("first", Map.of());
        Clients clients = new Clients(app.uri("/events"), CLIENTS);
        try {
            assertTrue(clients.awaitAccepted(500, Duration.ofSeconds(90)), "clients: " + clients);
            server.stop();
            int acceptedAtOutage = clients.accepted.size();

            // while it is down: not ready, and a POST is a 503 with Retry-After, never a 202
            await().atMost(Duration.ofSeconds(30)).pollInterval(POLL).until(() -> status(app, "/q/health/ready") == 503);
            // a probe with a 1 s timeout must see the 503, not a timeout: readiness answers from a recent result
            for (int i = 0; i < 5; i++) {
                long t0 = System.nanoTime();
                int ready = status(app, "/q/health/ready");
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertEquals(503, ready);
                assertTrue(ms < 900, "readiness took " + ms + " ms to answer during the outage (a probe's timeout: 1 s)");
            }
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(app.uri("/events"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"payload\": \"during the outage\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, post.statusCode(), post.body());
            assertTrue(post.headers().firstValue("Retry-After").isPresent(), "Retry-After on " + post.headers());
            assertEquals(200, status(app, "/q/health/live"), "a database outage is no reason to restart the service");
            int acceptedDuringOutage = clients.accepted.size() - acceptedAtOutage;

            server.start();
            await().atMost(Duration.ofSeconds(60)).pollInterval(POLL).until(() -> status(app, "/q/health/ready") == 200);
            assertTrue(clients.awaitAccepted(clients.accepted.size() + 500, Duration.ofSeconds(60)),
                    "the service did not accept events again after the database came back: " + clients);
            clients.close();
            System.out.printf("PostgreSQL, database restart: %s; %d acknowledged while it was down (a few may"
                    + " have committed just before the stop)%n", clients, acceptedDuringOutage);
            assertTrue(clients.unexpected.isEmpty(), "unexpected answers: " + clients.unexpected);
            assertTrue(clients.refused.get() > 0, "the clients never saw the outage: " + clients);
            assertEveryAcknowledgedEventThereOnce(app, clients);

            SampleProcess second = start("second", Map.of());
            assertEveryAcknowledgedEventThereOnce(second, clients);
        } finally {
            server.start(); // for the next test, whatever happened
        }
    }

    int status(SampleProcess app, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(app.uri(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
