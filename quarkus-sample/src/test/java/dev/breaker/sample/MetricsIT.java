package dev.breaker.sample;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 25 on a real runtime: the packaged sample on Quarkus, with {@code breaker-opentelemetry}
 * and an OpenTelemetry SDK bean ({@code Telemetry}), serves the library's metrics at its metrics
 * endpoint: each worker's start, the workers by state, and the trips of the requests' breakers by
 * kind (a request to {@code GET /slow} longer than {@code breaker.request.timeout} trips by timeout).
 * Nothing in the sample records them: the module finds the SDK bean by itself, in ArC.
 */
class MetricsIT {
    private SampleProcess app;

    @AfterEach
    void kill() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void theLibrarysMetricsAreAtTheEndpoint() throws Exception {
        Path work = Files.createDirectories(Path.of(System.getProperty("sample.work.dir", "target/it")));
        Path dir = Files.createTempDirectory(work, "MetricsIT-");
        int metricsPort = Haproxy.freePort();
        app = SampleProcess.start(dir, "app", Map.of("sample.metrics.port", Integer.toString(metricsPort),
                "breaker.request.timeout", "100ms"));
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> slow = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/slow?ms=2000"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(206, slow.statusCode(), "GET /slow?ms=2000 under a 100 ms breaker: " + slow.body());

        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
        for (String worker : new String[] {"intake", "pipeline", "store"}) {
            assertEquals(1.0, value(metrics, "breaker_worker_start_duration_seconds_count", "breaker_worker=\"" + worker + "\""),
                    worker + "'s start, in:\n" + metrics);
        }
        assertTrue(value(metrics, "breaker_workers", "breaker_worker_state=\"running\"") >= 3,
                "the running workers, in:\n" + metrics);
        assertTrue(value(metrics, "breaker_trips_total", "breaker_trip_kind=\"timeout\"") >= 1,
                "the request breaker's timeout trip, in:\n" + metrics);
    }

    /** The value of the sample of {@code name} whose labels contain {@code label}; fails if there is none. */
    private static double value(String metrics, String name, String label) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)").matcher(metrics);
        while (m.find()) {
            if (m.group(1).contains(label)) {
                return Double.parseDouble(m.group(2));
            }
        }
        throw new AssertionError("no " + name + " with " + label + " in:\n" + metrics);
    }
}
