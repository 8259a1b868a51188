package dev.breaker.sample;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Slow clients cannot starve the service: with {@value #HALF_OPEN} connections that sent their
 * headers and half a body and then went quiet, health checks, reads and whole POSTs from other
 * clients are still answered promptly.
 */
@QuarkusTest
class SlowClientsTest {
    static final int HALF_OPEN = 1000;
    /** Generous for a loaded 2-core machine; a starved service never answers. */
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(10);

    @TestHTTPResource("/")
    URL root;

    @Test
    void halfSentBodiesDoNotStarveOtherRequests() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < HALF_OPEN; i++) {
                Socket s = new Socket(InetAddress.getLoopbackAddress(), root.getPort());
                OutputStream out = s.getOutputStream();
                out.write(("POST /events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 1000\r\n\r\n{\"payload\": \"half").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                slow.add(s);
            }
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(ANSWER_WITHIN).build();
            for (String path : List.of("/q/health/live", "/q/health/ready", "/events/count")) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(root.toURI().resolve(path))
                        .timeout(ANSWER_WITHIN).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), path + ": " + r.body());
            }
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(root.toURI().resolve("/events"))
                        .timeout(ANSWER_WITHIN).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"payload\": \"a prompt client " + i + "\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(202, r.statusCode(), r.body());
            }
            assertTrue(slow.stream().noneMatch(Socket::isClosed));
        } finally {
            for (Socket s : slow) {
                try {
                    s.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
        }
    }
}
