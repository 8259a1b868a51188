package dev.breaker.sample;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every request the extension's HTTP gate counts in is counted out, however it ends: a later SIGTERM
 * waits for the requests in flight (up to {@code quarkus.shutdown.timeout}), so a request left
 * counted makes every shutdown wait the whole bound. A POST whose body is too large (413) was
 * such a request.
 */
@QuarkusTest
class GateCountTest {
    @TestHTTPResource("/")
    URL root;

    @Inject
    dev.breaker.quarkus.runtime.HttpGate gate;

    @Test
    void bodiesTooLargeAreCountedOut() throws Exception {
        for (int i = 0; i < 5; i++) {
            String answer = send(100_000);
            assertTrue(answer.startsWith("HTTP/1.1 413"), "answer: " + answer.lines().findFirst().orElse(""));
        }
        assertTrue(send(-1).startsWith("HTTP/1.1 200"), "a normal request after them");
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (gate.inFlight() != 0 && System.nanoTime() < end) {
            Thread.onSpinWait(); // the end handlers run on the event loop just after the answers
        }
        assertEquals(0, gate.inFlight(), "requests still counted in flight");
    }

    /** A POST /events with a body of {@code size} bytes, or GET /events/count for -1; the whole answer. */
    private String send(int size) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), root.getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            if (size < 0) {
                out.write("GET /events/count HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
            } else {
                out.write(("POST /events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + "Connection: close\r\nContent-Length: " + size + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                try {
                    out.write(new byte[size]);
                } catch (IOException closedEarly) {
                    // the server may answer 413 and close before reading the body
                }
            }
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            try {
                in.transferTo(answer);
            } catch (IOException reset) {
                // a reset after the answer
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
