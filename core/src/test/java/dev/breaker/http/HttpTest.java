package dev.breaker.http;

import com.sun.net.httpserver.HttpServer;
import dev.breaker.BreakReason;
import dev.breaker.Breaker;
import dev.breaker.RecordingBreaker;
import dev.breaker.BrokenException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Normal exchanges pass through untouched, the request timeout is the earlier of the request's
 * and the breaker's, failures unrelated to the breaker pass through, nothing of a finished
 * exchange stays on the breaker, and null arguments are named.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class HttpTest {
    /** Every byte value, and some UTF-8: the body must come back byte for byte. */
    private static final byte[] BODY = body();

    private final HttpClient client = HttpClient.newHttpClient();
    private final AtomicInteger requests = new AtomicInteger();
    private HttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/body", exchange -> {
            requests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("X-Echo", String.valueOf(exchange.getRequestHeaders().get("X-Test")));
            exchange.sendResponseHeaders(200, BODY.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(BODY);
            }
        });
        server.createContext("/budget", exchange -> {
            requests.incrementAndGet();
            exchange.getResponseHeaders().add("X-Budget", String.valueOf(exchange.getRequestHeaders().get(Budget.HEADER)));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.createContext("/ok", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Test
    void aFastExchangeReturnsTheResponseUntouched() throws Exception {
        try (RecordingBreaker breaker = new RecordingBreaker(Breaker.byTimeout(Duration.ofSeconds(30)))) {
            HttpRequest request = HttpRequest.newBuilder(uri("/body")).header("X-Test", "a").header("X-Test", "b").build();
            HttpResponse<byte[]> response = Http.send(breaker, client, request, BodyHandlers.ofByteArray());
            assertEquals(200, response.statusCode());
            assertArrayEquals(BODY, response.body());
            assertEquals("[a, b]", response.headers().firstValue("X-Echo").orElseThrow());
            assertFalse(breaker.isBroken());
            assertEquals(1, breaker.registrations.get());
            assertEquals(1, breaker.closedRegistrations.get(), "removed when the exchange completed");
        }
    }

    @Test
    void aFastAsyncExchangeReturnsTheResponseUntouched() throws Exception {
        try (RecordingBreaker breaker = new RecordingBreaker(Breaker.byTimeout(Duration.ofSeconds(30)))) {
            HttpRequest request = HttpRequest.newBuilder(uri("/body"))
                    .POST(HttpRequest.BodyPublishers.ofString("hello")).header("X-Test", "c").build();
            CompletableFuture<HttpResponse<byte[]>> f = Http.sendAsync(breaker, client, request, BodyHandlers.ofByteArray());
            HttpResponse<byte[]> response = f.get(30, TimeUnit.SECONDS);
            assertEquals(200, response.statusCode());
            assertArrayEquals(BODY, response.body());
            assertEquals("[c]", response.headers().firstValue("X-Echo").orElseThrow());
            assertEquals(1, breaker.closedRegistrations.get(), "removed when the exchange completed");
        }
    }

    @Test
    void theBreakersTimeBecomesTheRequestTimeoutWhenItIsTheEarlier() throws Exception {
        RecordingClient recorder = new RecordingClient(client);
        try (RecordingBreaker breaker = new RecordingBreaker(Breaker.manual(), Duration.ofMillis(200))) {
            HttpRequest request = HttpRequest.newBuilder(uri("/body")).timeout(Duration.ofHours(1))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).header("X-Test", "a").header("X-Test", "b")
                    .version(HttpClient.Version.HTTP_1_1).expectContinue(false).build();
            HttpResponse<byte[]> response = Http.send(breaker, recorder, request, BodyHandlers.ofByteArray());
            assertArrayEquals(BODY, response.body());
            HttpRequest sent = recorder.last;
            assertEquals(Duration.ofMillis(200), sent.timeout().orElseThrow());
            // everything else as it was
            assertEquals(request.uri(), sent.uri());
            assertEquals("POST", sent.method());
            assertEquals(List.of("a", "b"), sent.headers().allValues("X-Test"));
            assertEquals(request.headers().map(), withoutBudget(sent.headers().map()));
            assertEquals(List.of("200"), sent.headers().allValues(Budget.HEADER), "the breaker's time travels");
            assertEquals(request.version(), sent.version());
            assertEquals(request.expectContinue(), sent.expectContinue());
            assertEquals(1L, sent.bodyPublisher().orElseThrow().contentLength());
        }
    }

    private static java.util.Map<String, List<String>> withoutBudget(java.util.Map<String, List<String>> headers) {
        java.util.Map<String, List<String>> m = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> {
            if (!k.equalsIgnoreCase(Budget.HEADER)) {
                m.put(k, v);
            }
        });
        return m;
    }

    /** What the server received in the budget header, for a request sent under {@code breaker}. */
    private String budgetSeen(Breaker breaker, HttpRequest.Builder request) throws Exception {
        HttpResponse<Void> r = Http.send(breaker, client, request.uri(uri("/budget")).build(), BodyHandlers.discarding());
        return r.headers().firstValue("X-Budget").orElseThrow();
    }

    @Test
    void theBreakersTimeLeftTravelsInTheBudgetHeaderAndNeverGrows() throws Exception {
        try (Breaker timed = Breaker.byTimeout(Duration.ofSeconds(30))) {
            String seen = budgetSeen(timed, HttpRequest.newBuilder());
            long ms = Long.parseLong(seen.substring(1, seen.length() - 1));
            assertTrue(ms > 25_000 && ms <= 30_000, "about 30 s left, whole milliseconds: " + seen);
            // a budget the caller already put on the request is kept when it is the smaller...
            assertEquals("[1500]", budgetSeen(timed, HttpRequest.newBuilder().header(Budget.HEADER, "1500")));
            // ...and replaced by the breaker's time when it is the larger or not valid
            String larger = budgetSeen(timed, HttpRequest.newBuilder().header(Budget.HEADER, "99999999"));
            assertTrue(Long.parseLong(larger.substring(1, larger.length() - 1)) <= 30_000, larger);
            String garbage = budgetSeen(timed, HttpRequest.newBuilder().header(Budget.HEADER, "-5"));
            assertTrue(Long.parseLong(garbage.substring(1, garbage.length() - 1)) <= 30_000, garbage);
        }
        try (Breaker manual = Breaker.manual()) {
            assertEquals("null", budgetSeen(manual, HttpRequest.newBuilder()), "no time, no header");
        }
    }

    @Test
    void theRequestsOwnTimeoutStaysWhenItIsTheEarlierOrTheBreakerHasNoTime() throws Exception {
        RecordingClient recorder = new RecordingClient(client);
        HttpRequest shortOne = HttpRequest.newBuilder(uri("/ok")).timeout(Duration.ofSeconds(20)).build();
        try (RecordingBreaker breaker = new RecordingBreaker(Breaker.manual(), Duration.ofHours(1))) {
            Http.send(breaker, recorder, shortOne, BodyHandlers.discarding());
            assertEquals(Duration.ofSeconds(20), recorder.last.timeout().orElseThrow());
            assertEquals(List.of("20000"), recorder.last.headers().allValues(Budget.HEADER),
                    "the request's own 20 s travels: the caller stops waiting then, not after the breaker's hour");
        }
        HttpRequest none = HttpRequest.newBuilder(uri("/ok")).build();
        try (Breaker manual = Breaker.manual()) { // remaining() is empty: no time bounds it
            Http.send(manual, recorder, none, BodyHandlers.discarding());
            assertSame(none, recorder.last);
        }
    }

    @Test
    void aTimeoutBreakerBoundsARequestWithALongerTimeout() throws Exception {
        // whether the request ends by the breaker's trip or by the timeout taken from remaining()
        // (once timed breakers report it), the caller sees BrokenException near 200 ms
        boolean reported;
        try (Breaker probe = Breaker.byTimeout(Duration.ofMinutes(1))) {
            reported = probe.remaining().isPresent();
        }
        for (boolean async : new boolean[] {false, true}) {
            try (RawServer slow = new RawServer(RawServer.Mode.NEVER_ANSWER)) {
                RecordingClient recorder = new RecordingClient(client);
                HttpRequest request = HttpRequest.newBuilder(slow.uri("/hour")).timeout(Duration.ofHours(1)).build();
                long start = System.nanoTime();
                Breaker breaker = Breaker.byTimeout(Duration.ofMillis(200));
                BrokenException e = async
                        ? HttpAbortTest.broken(Http.sendAsync(breaker, recorder, request, BodyHandlers.ofString()))
                        : assertThrows(BrokenException.class,
                                () -> Http.send(breaker, recorder, request, BodyHandlers.ofString()));
                long elapsed = System.nanoTime() - start;
                Duration sentTimeout = recorder.last.timeout().orElseThrow();
                System.out.printf("[%s JDK %s] 1 h request under byTimeout(200ms): BrokenException(%s, cause %s)"
                                + " after %d ms; timeout sent %s%n", async ? "sendAsync" : "send",
                        Runtime.version().feature(), e.reason(), e.getCause(), HttpAbortTest.ms(elapsed), sentTimeout);
                assertEquals(BreakReason.Kind.TIMEOUT, e.reason().kind());
                assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(150), "not before the breaker's time");
                assertTrue(elapsed < TimeUnit.MILLISECONDS.toNanos(200 + HttpAbortTest.CALLER_BOUND_MS),
                        "ended " + HttpAbortTest.ms(elapsed) + " ms after the start");
                if (reported) {
                    // the breaker's time, read from its timer entry (whole ticks): 200 ms, not 1 h
                    assertTrue(sentTimeout.compareTo(Duration.ofMillis(250)) < 0, "sent " + sentTimeout);
                } else {
                    assertEquals(Duration.ofHours(1), sentTimeout);
                }
            }
        }
    }

    @Test
    void aRequestTimeoutThatIsTheBreakersTimeFailsWithTheBreakersReason() throws Exception {
        // remaining() says 200 ms, the breaker trips at 700 ms: the request timeout (200 ms) fires
        // first, and the caller waits for the trip to report the breaker's reason
        for (boolean async : new boolean[] {false, true}) {
            try (RawServer slow = new RawServer(RawServer.Mode.NEVER_ANSWER)) {
                HttpRequest request = HttpRequest.newBuilder(slow.uri("/late")).build();
                long start = System.nanoTime();
                RecordingBreaker breaker = new RecordingBreaker(Breaker.byTimeout(Duration.ofMillis(700)), Duration.ofMillis(200));
                BrokenException e = async
                        ? HttpAbortTest.broken(Http.sendAsync(breaker, client, request, BodyHandlers.ofString()))
                        : assertThrows(BrokenException.class,
                                () -> Http.send(breaker, client, request, BodyHandlers.ofString()));
                long elapsed = System.nanoTime() - start;
                System.out.printf("[%s JDK %s] request timeout from remaining(): BrokenException(%s, cause %s) after %d ms%n",
                        async ? "sendAsync" : "send", Runtime.version().feature(), e.reason(), e.getCause(),
                        HttpAbortTest.ms(elapsed));
                assertEquals(BreakReason.Kind.TIMEOUT, e.reason().kind());
                assertInstanceOf(HttpTimeoutException.class, e.getCause());
                assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(650), "waited for the breaker's trip");
                assertTrue(elapsed < TimeUnit.MILLISECONDS.toNanos(700 + HttpAbortTest.CALLER_BOUND_MS));
                assertTrue(slow.nextConnection().awaitClosed(HttpAbortTest.CLOSE_BOUND_MS), "the client closes it");
                assertEquals(breaker.registrations.get(), breaker.closedRegistrations.get());
            }
        }
    }

    @Test
    void theRequestsOwnTimeoutPassesThroughUnchanged() throws Exception {
        try (RawServer slow = new RawServer(RawServer.Mode.NEVER_ANSWER); Breaker breaker = Breaker.manual()) {
            HttpRequest request = HttpRequest.newBuilder(slow.uri("/own")).timeout(Duration.ofMillis(200)).build();
            assertThrows(HttpTimeoutException.class, () -> Http.send(breaker, client, request, BodyHandlers.ofString()));
            CompletableFuture<HttpResponse<String>> f = Http.sendAsync(breaker, client, request, BodyHandlers.ofString());
            CompletionException e = assertThrows(CompletionException.class, f::join);
            assertInstanceOf(HttpTimeoutException.class, e.getCause());
            assertFalse(breaker.isBroken());
        }
    }

    @Test
    void aRefusedConnectionPassesThroughUnchanged() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build();
        try (Breaker breaker = Breaker.byTimeout(Duration.ofSeconds(30))) {
            assertThrows(ConnectException.class, () -> Http.send(breaker, client, request, BodyHandlers.ofString()));
            CompletionException e = assertThrows(CompletionException.class,
                    () -> Http.sendAsync(breaker, client, request, BodyHandlers.ofString()).join());
            assertInstanceOf(ConnectException.class, e.getCause());
            assertFalse(breaker.isBroken());
        }
    }

    @Test
    void tenThousandExchangesLeaveNothingOnALongLivedBreaker() throws Exception {
        RecordingClient recorder = new RecordingClient(client);
        RecordingBreaker breaker = new RecordingBreaker(Breaker.manual());
        HttpRequest request = HttpRequest.newBuilder(uri("/ok")).build();
        int n = 10_000;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            HttpResponse<Void> response = i % 2 == 0
                    ? Http.send(breaker, recorder, request, BodyHandlers.discarding())
                    : Http.sendAsync(breaker, recorder, request, BodyHandlers.discarding()).get(30, TimeUnit.SECONDS);
            assertEquals(204, response.statusCode());
        }
        System.out.printf("[JDK %s] %d exchanges in %d ms%n", Runtime.version().feature(), n,
                HttpAbortTest.ms(System.nanoTime() - start));
        // at least n: the JDK's client sends a GET again, by itself, when the server closed the
        // pooled connection just as the request went out (seen once on JDK 25: 10,001)
        assertTrue(requests.get() >= n, "requests the server saw: " + requests.get());
        assertEquals(n, recorder.sent.get(), "exchanges the client was asked for");
        assertEquals(n, breaker.registrations.get());
        assertEquals(n, breaker.closedRegistrations.get(), "every action removed when its exchange completed");
        assertEquals(0, recorder.cancels.get(), "no finished exchange cancelled");

        breaker.close();
        assertEquals(0, breaker.actionsRun.get(), "closing the breaker ran no action of a finished exchange");
        assertEquals(0, recorder.cancels.get(), "closing the breaker cancelled nothing");
    }

    @Test
    void nullArgumentsAreNamed() {
        Breaker b = Breaker.manual();
        HttpRequest r = HttpRequest.newBuilder(uri("/ok")).build();
        HttpResponse.BodyHandler<Void> h = BodyHandlers.discarding();
        assertEquals("breaker", assertThrows(NullPointerException.class, () -> Http.send(null, client, r, h)).getMessage());
        assertEquals("client", assertThrows(NullPointerException.class, () -> Http.send(b, null, r, h)).getMessage());
        assertEquals("request", assertThrows(NullPointerException.class, () -> Http.send(b, client, null, h)).getMessage());
        assertEquals("handler", assertThrows(NullPointerException.class, () -> Http.send(b, client, r, null)).getMessage());
        assertEquals("breaker", assertThrows(NullPointerException.class, () -> Http.sendAsync(null, client, r, h)).getMessage());
        assertEquals("client", assertThrows(NullPointerException.class, () -> Http.sendAsync(b, null, r, h)).getMessage());
        assertEquals("request", assertThrows(NullPointerException.class, () -> Http.sendAsync(b, client, null, h)).getMessage());
        assertEquals("handler", assertThrows(NullPointerException.class, () -> Http.sendAsync(b, client, r, null)).getMessage());
        assertEquals(0, requests.get());
    }

    private static byte[] body() {
        byte[] text = "héllo wörld ✓\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] b = new byte[256 * 4 + text.length];
        for (int i = 0; i < 256 * 4; i++) {
            b[i] = (byte) i;
        }
        System.arraycopy(text, 0, b, 256 * 4, text.length);
        return b;
    }
}
