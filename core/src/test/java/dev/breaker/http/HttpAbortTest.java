package dev.breaker.http;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;
import dev.breaker.RecordingBreaker;
import dev.breaker.BrokenException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A trip aborts the exchange for real: a raw server on 127.0.0.1 that never answers (or stalls
 * the body) sees the connection closed or reset. No sleep synchronises anything: the server's
 * latches say when the request has arrived; the time bounds are generous (a loaded 2-core
 * machine) but fail if the exchange were left to run until the server gives up (60 s).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class HttpAbortTest {
    /** The caller must see the failure within this after the breaker's due time. */
    static final long CALLER_BOUND_MS = 2_000;
    /** The server must see the connection closed within this after the trip. */
    static final long CLOSE_BOUND_MS = 2_000;

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void aTimeoutBreakerAbortsASlowExchangeAndTheServerSeesTheConnectionClosed() throws Exception {
        slowExchangeUnderTimeout(false);
    }

    @Test
    void aTimeoutBreakerAbortsASlowAsyncExchangeAndTheServerSeesTheConnectionClosed() throws Exception {
        slowExchangeUnderTimeout(true);
    }

    private void slowExchangeUnderTimeout(boolean async) throws Exception {
        try (RawServer server = new RawServer(RawServer.Mode.NEVER_ANSWER)) {
            HttpRequest request = HttpRequest.newBuilder(server.uri("/slow")).build();
            long start = System.nanoTime();
            Breaker breaker = Breaker.byTimeout(Duration.ofMillis(300));
            long due = start + TimeUnit.MILLISECONDS.toNanos(300);
            AtomicLong trippedAt = new AtomicLong();
            breaker.onBreak(() -> trippedAt.set(System.nanoTime()));

            BrokenException e = async
                    ? broken(Http.sendAsync(breaker, client, request, BodyHandlers.ofString()))
                    : assertThrows(BrokenException.class,
                            () -> Http.send(breaker, client, request, BodyHandlers.ofString()));
            long caught = System.nanoTime();

            assertEquals(BreakReason.Kind.TIMEOUT, e.reason().kind());
            RawServer.Conn conn = server.nextConnection();
            boolean closed = conn.awaitClosed(CLOSE_BOUND_MS + 1_000);
            System.out.printf("[%s JDK %s] byTimeout(300ms): caller got BrokenException(%s, cause %s) after %d ms;"
                            + " request reached the server after %d ms; breaker action ran after %d ms;"
                            + " server saw the connection closed (%s) %s ms after the start, %s ms after the due time%n",
                    async ? "sendAsync" : "send", Runtime.version().feature(), e.reason(), e.getCause(),
                    ms(caught - start), ms(conn.arrivedAt - start), ms(trippedAt.get() - start), conn.how,
                    closed ? ms(conn.closedAt - start) : "never", closed ? ms(conn.closedAt - due) : "-");
            assertTrue(caught - start >= TimeUnit.MILLISECONDS.toNanos(250), "not before the breaker's time");
            assertTrue(caught - due < TimeUnit.MILLISECONDS.toNanos(CALLER_BOUND_MS),
                    "the caller saw the failure " + ms(caught - due) + " ms after the due time");
            assertTrue(closed, "the server never saw the connection closed: " + conn.how);
            assertTrue(conn.closedAt - due < TimeUnit.MILLISECONDS.toNanos(CLOSE_BOUND_MS),
                    "closed " + ms(conn.closedAt - due) + " ms after the due time");
        }
    }

    @Test
    void aManualBreakerClosedByAnotherThreadAbortsTheExchange() throws Exception {
        try (RawServer server = new RawServer(RawServer.Mode.NEVER_ANSWER)) {
            Breaker breaker = Breaker.manual();
            AtomicReference<RawServer.Conn> conn = new AtomicReference<>();
            AtomicLong closedBreakerAt = new AtomicLong();
            Thread closer = new Thread(() -> {
                try {
                    RawServer.Conn c = server.nextConnection();
                    conn.set(c);
                    c.awaitArrived();
                    closedBreakerAt.set(System.nanoTime());
                    breaker.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "closer");
            closer.start();
            HttpRequest request = HttpRequest.newBuilder(server.uri("/manual")).build();
            BrokenException e = assertThrows(BrokenException.class,
                    () -> Http.send(breaker, client, request, BodyHandlers.ofString()));
            long caught = System.nanoTime();
            closer.join(30_000);

            assertEquals(BreakReason.CLOSED, e.reason());
            assertInstanceOf(CancellationException.class, e.getCause(), "the aborted exchange's own failure");
            assertTrue(conn.get().awaitClosed(CLOSE_BOUND_MS), "the server never saw the connection closed");
            System.out.printf("[send JDK %s] manual close: caller got BrokenException %d ms, server saw the close"
                            + " (%s) %d ms after close()%n", Runtime.version().feature(),
                    ms(caught - closedBreakerAt.get()), conn.get().how, ms(conn.get().closedAt - closedBreakerAt.get()));
            assertTrue(caught - closedBreakerAt.get() < TimeUnit.MILLISECONDS.toNanos(CALLER_BOUND_MS));
        }
    }

    @Test
    void aManualBreakerClosedMidAsyncExchangeFailsTheFuture() throws Exception {
        try (RawServer server = new RawServer(RawServer.Mode.NEVER_ANSWER)) {
            RecordingBreaker breaker = new RecordingBreaker(Breaker.manual());
            HttpRequest request = HttpRequest.newBuilder(server.uri("/manual-async")).build();
            CompletableFuture<HttpResponse<String>> f = Http.sendAsync(breaker, client, request, BodyHandlers.ofString());
            RawServer.Conn conn = server.nextConnection();
            conn.awaitArrived();
            assertFalse(f.isDone());

            breaker.close(); // runs the actions on this thread: they cancel the client's future
            BrokenException e = broken(f);
            assertEquals(BreakReason.CLOSED, e.reason());
            assertTrue(conn.awaitClosed(CLOSE_BOUND_MS), "the server never saw the connection closed");
            assertEquals(1, breaker.registrations.get());
            assertEquals(1, breaker.actionsRun.get());
        }
    }

    @Test
    void aTripWhileTheBodyStallsAbortsTheExchange() throws Exception {
        // the JDK's client applies a request timeout only until the response headers arrive: a
        // stalled body is bounded by the breaker's trip alone
        try (RawServer server = new RawServer(RawServer.Mode.STALL_BODY)) {
            Breaker breaker = Breaker.manual();
            AtomicReference<RawServer.Conn> conn = new AtomicReference<>();
            Thread closer = new Thread(() -> {
                try {
                    RawServer.Conn c = server.nextConnection();
                    conn.set(c);
                    c.awaitArrived(); // the headers and 5 bytes of the body are sent
                    breaker.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "closer");
            closer.start();
            HttpRequest request = HttpRequest.newBuilder(server.uri("/stall")).build();
            BrokenException e = assertThrows(BrokenException.class,
                    () -> Http.send(breaker, client, request, BodyHandlers.ofString()));
            closer.join(30_000);
            assertEquals(BreakReason.CLOSED, e.reason());
            assertTrue(conn.get().awaitClosed(CLOSE_BOUND_MS), "the server never saw the connection closed");
        }
    }

    @Test
    void aTripWhileTheBodyStallsAbortsTheAsyncExchange() throws Exception {
        try (RawServer server = new RawServer(RawServer.Mode.STALL_BODY)) {
            Breaker breaker = Breaker.manual();
            HttpRequest request = HttpRequest.newBuilder(server.uri("/stall-async")).build();
            CompletableFuture<HttpResponse<String>> f = Http.sendAsync(breaker, client, request, BodyHandlers.ofString());
            RawServer.Conn conn = server.nextConnection();
            conn.awaitArrived();
            breaker.close();
            assertEquals(BreakReason.CLOSED, broken(f).reason());
            assertTrue(conn.awaitClosed(CLOSE_BOUND_MS), "the server never saw the connection closed");
        }
    }

    @Test
    void cancellingTheAsyncResultAbortsTheExchangeAndRemovesTheAction() throws Exception {
        try (RawServer server = new RawServer(RawServer.Mode.NEVER_ANSWER)) {
            RecordingBreaker breaker = new RecordingBreaker(Breaker.manual());
            HttpRequest request = HttpRequest.newBuilder(server.uri("/cancel")).build();
            CompletableFuture<HttpResponse<String>> f = Http.sendAsync(breaker, client, request, BodyHandlers.ofString());
            RawServer.Conn conn = server.nextConnection();
            conn.awaitArrived();
            assertTrue(f.cancel(true));
            assertTrue(conn.awaitClosed(CLOSE_BOUND_MS), "the server never saw the connection closed");
            assertFalse(breaker.isBroken());
            assertEquals(1, breaker.registrations.get());
            assertEquals(1, breaker.closedRegistrations.get());
            breaker.close();
            assertEquals(0, breaker.actionsRun.get(), "nothing of the abandoned exchange is left on the breaker");
        }
    }

    @Test
    void interruptingTheWaitingCallerAbortsTheExchange() throws Exception {
        try (RawServer server = new RawServer(RawServer.Mode.NEVER_ANSWER)) {
            RecordingBreaker breaker = new RecordingBreaker(Breaker.manual());
            HttpRequest request = HttpRequest.newBuilder(server.uri("/interrupt")).build();
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread caller = new Thread(() -> {
                try {
                    Http.send(breaker, client, request, BodyHandlers.ofString());
                } catch (Throwable t) {
                    thrown.set(t);
                }
            }, "caller");
            caller.start();
            RawServer.Conn conn = server.nextConnection();
            conn.awaitArrived();
            caller.interrupt();
            caller.join(30_000);
            assertInstanceOf(InterruptedException.class, thrown.get());
            assertTrue(conn.awaitClosed(CLOSE_BOUND_MS), "the server never saw the connection closed");
            assertFalse(breaker.isBroken());
            assertEquals(1, breaker.closedRegistrations.get());
        }
    }

    @Test
    void aTrippedBreakerSendsNothing() throws Exception {
        try (RawServer server = new RawServer(RawServer.Mode.NEVER_ANSWER)) {
            RecordingClient recorder = new RecordingClient(client);
            HttpRequest request = HttpRequest.newBuilder(server.uri("/never")).build();
            Breaker closed = Breaker.manual();
            closed.close();
            Breaker timedOut = Breaker.byTimeout(Duration.ZERO);

            BrokenException e1 = assertThrows(BrokenException.class,
                    () -> Http.send(closed, recorder, request, BodyHandlers.ofString()));
            assertEquals(BreakReason.CLOSED, e1.reason());
            assertNull(e1.getCause());
            CompletableFuture<HttpResponse<String>> f = Http.sendAsync(timedOut, recorder, request, BodyHandlers.ofString());
            assertTrue(f.isCompletedExceptionally(), "a failed future at once");
            BrokenException e2 = broken(f);
            // join() throws it as is (JDK 17), or as the cause of a new CancellationException (newer JDKs)
            CancellationException thrown = assertThrows(CancellationException.class, f::join);
            assertTrue(thrown == e2 || thrown.getCause() == e2, thrown::toString);
            assertEquals(BreakReason.Kind.TIMEOUT, e2.reason().kind());

            assertEquals(0, recorder.sent.get(), "nothing handed to the client");
            // the server has seen no connection: a probe of ours is the first it accepts
            try (Socket probe = new Socket(server.uri("/").getHost(), server.uri("/").getPort())) {
                probe.getOutputStream().write("GET /probe HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                RawServer.Conn first = server.nextConnection();
                first.awaitArrived();
                assertTrue(first.head.startsWith("GET /probe "), first.head);
                assertEquals(1, server.connections());
            }
        }
    }

    @Test
    void aBreakerOutOfTimeSendsNothingAndFailsWhenItTrips() throws Exception {
        try (RawServer server = new RawServer(RawServer.Mode.NEVER_ANSWER)) {
            RecordingClient recorder = new RecordingClient(client);
            // its time is up (remaining() is ZERO) but it has not tripped yet
            RecordingBreaker breaker = new RecordingBreaker(Breaker.manual(), Duration.ZERO);
            HttpRequest request = HttpRequest.newBuilder(server.uri("/zero")).build();
            CompletableFuture<HttpResponse<String>> f = Http.sendAsync(breaker, recorder, request, BodyHandlers.ofString());
            assertFalse(f.isDone());
            assertEquals(0, recorder.sent.get());
            breaker.close();
            BrokenException e = broken(f);
            assertEquals(BreakReason.CLOSED, e.reason());
            assertEquals(0, recorder.sent.get());
            assertEquals(breaker.registrations.get(), breaker.closedRegistrations.get());
        }
    }

    /** The failure of {@code f} as it was given (join() and get() wrap it on newer JDKs). */
    static BrokenException broken(CompletableFuture<?> f) throws Exception {
        Throwable failure = f.handle((response, x) -> x).get(30, TimeUnit.SECONDS);
        return assertInstanceOf(BrokenException.class, failure);
    }

    static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
