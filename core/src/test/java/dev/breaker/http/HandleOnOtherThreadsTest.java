package dev.breaker.http;

import com.sun.net.httpserver.HttpServer;
import dev.breaker.BreakReason;
import dev.breaker.Breaker;
import dev.breaker.BrokenException;
import dev.breaker.internal.BreakerHandle;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * An injected breaker is a handle that stands for the request's breaker only on the request's
 * thread (elsewhere it is another breaker, or refuses, as the CDI handle of a shared bean does
 * with BRKR018). {@code Http} must resolve it on the calling thread: its callbacks run on the
 * client's threads. Before it did, a request whose timeout was the breaker's time never completed:
 * the callback asked the handle on a client thread, which threw, and the caller waited for ever.
 */
class HandleOnOtherThreadsTest {

    /** A handle that works on the thread that made it and refuses everywhere else. */
    static Breaker threadBoundHandle(Breaker target) {
        Thread owner = Thread.currentThread();
        return (Breaker) Proxy.newProxyInstance(HandleOnOtherThreadsTest.class.getClassLoader(),
                new Class<?>[]{Breaker.class, BreakerHandle.class}, (proxy, method, args) -> {
                    if (Thread.currentThread() != owner) {
                        throw new IllegalStateException("handle used on " + Thread.currentThread().getName());
                    }
                    if (method.getName().equals("target")) {
                        return target;
                    }
                    try {
                        return method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void aRequestTimedOutByTheHandlesBreakerFailsWithItsReason() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/never", exchange -> {
            try {
                release.await(); // answers nothing until the test ends
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        HttpClient client = HttpClient.newHttpClient();
        try (Breaker target = Breaker.byTimeout(Duration.ofMillis(300))) {
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/never");
            // made and used on the thread that assertTimeoutPreemptively runs it on
            BrokenException e = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                Breaker handle = threadBoundHandle(target);
                return assertThrows(BrokenException.class, () -> Http.send(handle, client,
                        HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()));
            });
            assertEquals(BreakReason.Kind.TIMEOUT, e.reason().kind());
        } finally {
            release.countDown();
            server.stop(0);
        }
    }

    /** A multiplex of a handle trips when what the handle stood for trips on another thread (the timer's). */
    @Test
    void aMultiplexOfAHandleTripsWithTheHandlesBreaker() throws Exception {
        try (Breaker target = Breaker.byTimeout(Duration.ofMillis(100)); Breaker other = Breaker.manual()) {
            Breaker any = Breaker.multiplex(threadBoundHandle(target), other);
            try {
                assertTimeoutPreemptively(Duration.ofSeconds(20), () -> any.await());
                assertEquals(BreakReason.Kind.TIMEOUT, any.reason().orElseThrow().root().kind());
            } finally {
                any.close();
            }
        }
    }
}
