package dev.breaker.jaxrs;

import com.sun.net.httpserver.HttpServer;
import dev.breaker.Breaker;
import dev.breaker.BrokenException;
import dev.breaker.CurrentBreaker;
import dev.breaker.http.Budget;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client filter on a real Jakarta REST client (Jersey) against a real HTTP server (the JDK's). */
class BudgetClientFilterTest {
    private HttpServer server;
    private final AtomicInteger received = new AtomicInteger();
    private Client client;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/echo", exchange -> {
            received.incrementAndGet();
            String budget = String.valueOf(exchange.getRequestHeaders().get(Budget.HEADER));
            byte[] body = budget.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool()); // a stalled exchange blocks no other
        server.start();
        client = ClientBuilder.newClient().register(BudgetClientFilter.class);
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
    }

    /** A context at {@code path} that answers nothing until the returned latch is opened. */
    private CountDownLatch neverAnswering(String path) {
        CountDownLatch release = new CountDownLatch(1);
        server.createContext(path, exchange -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        return release;
    }

    private String call(jakarta.ws.rs.client.Invocation.Builder b) {
        try (Response r = b.get()) {
            return r.readEntity(String.class);
        }
    }

    private jakarta.ws.rs.client.Invocation.Builder echo() {
        return client.target("http://127.0.0.1:" + server.getAddress().getPort() + "/echo").request();
    }

    private static long ms(String seen) {
        return Long.parseLong(seen.substring(1, seen.length() - 1));
    }

    @Test
    void withoutACurrentBreakerNoHeaderIsSent() {
        assertEquals("null", call(echo()));
        try (Breaker untimed = Breaker.manual()) {
            assertEquals("null", CurrentBreaker.call(untimed, () -> call(echo())) , "a breaker without a time carries none");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theCurrentBreakersTimeLeftTravelsAndNeverGrows() throws Exception {
        try (Breaker b = Breaker.byTimeout(Duration.ofSeconds(30))) {
            long sent = ms(CurrentBreaker.call(b, () -> call(echo())));
            assertTrue(sent > 25_000 && sent <= 30_000, "about 30 s: " + sent);
            assertEquals("[700]", CurrentBreaker.call(b, () -> call(echo().header(Budget.HEADER, "700"))),
                    "a smaller budget already on the request stays");
            long replaced = ms(CurrentBreaker.call(b, () -> call(echo().header(Budget.HEADER, "99999999"))));
            assertTrue(replaced <= 30_000, "a larger one is cut to the breaker's: " + replaced);
        }
    }

    @Test
    void aTrippedCurrentBreakerSendsNothing() throws Exception {
        try (Breaker b = Breaker.manual()) {
            b.close();
            ProcessingException e = assertThrows(ProcessingException.class, () -> CurrentBreaker.call(b, () -> call(echo())));
            assertInstanceOf(BrokenException.class, e.getCause(), String.valueOf(e.getCause()));
            assertEquals(0, received.get(), "the server saw no request");
        }
    }

    @Test
    void onJerseyACallStillWaitingWhenTheTimeIsUpFails() throws Exception {
        CountDownLatch release = neverAnswering("/never");
        call(echo()); // the client's first call initialises Jersey (hundreds of ms): not under the breaker
        try (Breaker b = Breaker.byTimeout(Duration.ofSeconds(1))) {
            jakarta.ws.rs.client.Invocation.Builder never =
                    client.target("http://127.0.0.1:" + server.getAddress().getPort() + "/never").request();
            long t0 = System.nanoTime();
            ProcessingException e = assertThrows(ProcessingException.class, () -> assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> CurrentBreaker.call(b, () -> call(never))));
            assertInstanceOf(java.net.SocketTimeoutException.class, e.getCause(), "the client's read timeout: " + e);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 10_000, "ended at the breaker's 1 s, not by the server: " + ms + " ms");
        } finally {
            release.countDown();
        }
    }

    /** A client's own shorter read timeout stays: the breaker's time left never lengthens it. */
    @Test
    void onJerseyAShorterReadTimeoutOfTheClientStays() throws Exception {
        CountDownLatch release = neverAnswering("/never2");
        Client shortClient = ClientBuilder.newClient().register(BudgetClientFilter.class)
                .property(BudgetClientFilter.JERSEY_READ_TIMEOUT, 300);
        try (Breaker b = Breaker.byTimeout(Duration.ofSeconds(60))) {
            try (Response warm = shortClient.target("http://127.0.0.1:" + server.getAddress().getPort() + "/echo").request().get()) {
                warm.readEntity(String.class);
            }
            jakarta.ws.rs.client.Invocation.Builder never =
                    shortClient.target("http://127.0.0.1:" + server.getAddress().getPort() + "/never2").request();
            long t0 = System.nanoTime();
            ProcessingException e = assertThrows(ProcessingException.class, () -> assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> CurrentBreaker.call(b, () -> call(never))));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertInstanceOf(java.net.SocketTimeoutException.class, e.getCause(), String.valueOf(e));
            assertTrue(ms < 10_000, "the client's 300 ms, not the breaker's 60 s: " + ms + " ms");
        } finally {
            release.countDown();
            shortClient.close();
        }
    }
}
