package dev.breaker.sample;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests that no well-behaved client sends, written byte by byte: each gets a 4xx answer and
 * none of them can make the service log at ERROR (any client could flood the error log).
 */
@QuarkusTest
class RawHttpTest {
    @TestHTTPResource("/")
    URL root;

    private final List<LogRecord> errors = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.SEVERE.intValue()) {
                errors.add(r);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        Logger.getLogger("").removeHandler(capture);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "GET /events/count HTTP/1.1\r\nConnection: close\r\n\r\n",
            "POST /events HTTP/1.1\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 17\r\n\r\n{\"payload\": \"x\"}",
            "GET /q/health/ready HTTP/1.1\r\nConnection: close\r\n\r\n",
            "GET /events/%00 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    })
    void aBadRequestIsA4xxAndNoError(String request) throws Exception {
        String answer = send(request);
        assertTrue(answer.matches("(?s)HTTP/1\\.1 4\\d\\d .*"), "answer: " + answer);
        // the server handles the request on other threads: give a late log record time to appear
        // by asking for something harmless on a new connection, answered after the first
        send("GET /q/health/live HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertTrue(errors.isEmpty(), "logged at ERROR: " + errors.stream()
                .map(r -> r.getLoggerName() + ": " + r.getMessage()).toList());
    }

    /** A version this server does not speak is refused (505), not answered as if it were HTTP/1.1. */
    @Test
    void anUnknownHttpVersionIs505() throws Exception {
        String answer = send("GET /events/count HTTP/9.9\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        // Vert.x writes the request's own version in the status line; the status is what matters
        assertTrue(answer.matches("(?s)HTTP/\\d\\.\\d 505 .*"), "answer: " + answer);
    }

    private String send(String request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), root.getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
