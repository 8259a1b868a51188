package dev.breaker.quarkus.runtime;

import dev.breaker.cdi.ShutdownSequence;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP side of the shutdown ({@link BreakerShutdownListener} drives it), a route filter ahead
 * of every application route:
 * <ul>
 * <li>Once the shutdown is announced (readiness DOWN), every HTTP/1.x response says
 * {@code Connection: close} and its connection is closed after it, so that clients and load
 * balancers drop pooled keep-alive connections after a complete response instead of finding them
 * reset later.</li>
 * <li>{@link #closeAndDrain}, after the readiness delay: every new request is answered 503 with
 * {@code Retry-After} and {@code Connection: close} (after its body has been read, so that closing
 * sends no reset); the requests already let in are waited for, at most
 * {@code quarkus.shutdown.timeout} (10 s if unset). The workers stop after that, while this keeps
 * answering.</li>
 * <li>A request line with an HTTP version Vert.x does not know ({@code HTTP/9.9}, which it would
 * answer as HTTP/1.1) gets 505.</li>
 * </ul>
 * The management endpoints ({@code quarkus.http.non-application-root-path}, {@code /q/}: health)
 * are never refused nor counted: readiness answers DOWN until the HTTP server closes.
 *
 * <p>Thread-safe: a request counts itself in before it looks at the gate, and the closer looks at
 * the count after closing (both sequentially consistent), so no request slips in unseen. Every
 * request let in is counted out exactly once, by its end, or by an error answer given before its
 * body was read (413), whose connection Vert.x closes without ending the request.
 */
@Singleton
public class HttpGate {
    private static final System.Logger LOG = System.getLogger("dev.breaker.quarkus");
    /** Seconds a refused client is asked to wait: this instance is going away; retry on another. */
    public static final int RETRY_AFTER_SECONDS = 5;
    private static final Duration DEFAULT_DRAIN = Duration.ofSeconds(10);

    private final ShutdownSequence shutdown;
    private final Duration drainTimeout;
    private final String managementPrefix;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object drained = new Object();
    private volatile boolean closed;

    @Inject
    HttpGate(ShutdownSequence shutdown,
             @ConfigProperty(name = "quarkus.shutdown.timeout") Optional<Duration> drainTimeout,
             @ConfigProperty(name = "quarkus.http.root-path", defaultValue = "/") String rootPath,
             @ConfigProperty(name = "quarkus.http.non-application-root-path", defaultValue = "q") String nonApplication) {
        this.shutdown = shutdown;
        this.drainTimeout = drainTimeout.filter(d -> !d.isNegative() && !d.isZero()).orElse(DEFAULT_DRAIN);
        this.managementPrefix = managementPrefix(rootPath, nonApplication);
    }

    /** {@code /q/} from the defaults; an absolute non-application root stays as it is. */
    static String managementPrefix(String rootPath, String nonApplication) {
        String path = nonApplication.startsWith("/") ? nonApplication
                : (rootPath.endsWith("/") ? rootPath : rootPath + "/") + nonApplication;
        return path.endsWith("/") ? path : path + "/";
    }

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(this::handle);
    }

    private void handle(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        if (request.version() == null) {
            request.response().setStatusCode(505).putHeader(HttpHeaders.CONNECTION, "close")
                    .end().onComplete(sent -> request.connection().close());
            return;
        }
        boolean http1 = request.version() == HttpVersion.HTTP_1_1 || request.version() == HttpVersion.HTTP_1_0;
        if (http1) {
            rc.addHeadersEndHandler(v -> {
                if (shutdown.isAnnounced()) {
                    rc.response().putHeader(HttpHeaders.CONNECTION, "close");
                }
            });
            rc.addEndHandler(done -> {
                if ("close".equals(rc.response().headers().get(HttpHeaders.CONNECTION))) {
                    request.connection().close();
                }
            });
        }
        if (rc.normalizedPath().startsWith(managementPrefix)) {
            rc.next(); // health and the other management endpoints answer to the end
            return;
        }
        inFlight.incrementAndGet();
        if (closed) {
            leave();
            refuse(request);
            return;
        }
        AtomicBoolean counted = new AtomicBoolean(true);
        Runnable leaveOnce = () -> {
            if (counted.compareAndSet(true, false)) {
                leave();
            }
        };
        rc.addEndHandler(done -> leaveOnce.run());
        // an answer given before the request was read to its end (413 for a body too large) ends
        // the request without the end handler above ever running: the connection is closed instead
        rc.addHeadersEndHandler(v -> {
            if (rc.response().getStatusCode() >= 400 && !request.isEnded()) {
                leaveOnce.run();
            }
        });
        rc.next();
    }

    /**
     * Requests let in and not yet ended (management requests are not counted).
     *
     * @return the count now
     */
    public int inFlight() {
        return inFlight.get();
    }

    private void leave() {
        if (inFlight.decrementAndGet() == 0 && closed) {
            synchronized (drained) {
                drained.notifyAll();
            }
        }
    }

    /** 503 + Retry-After + Connection: close once the body is read; then the connection is closed. */
    private static void refuse(HttpServerRequest request) {
        Runnable answer = () -> request.response().setStatusCode(503)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS))
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end("{\"error\":\"the service is shutting down and no longer accepts requests; retry on another instance\"}")
                .onComplete(sent -> request.connection().close());
        if (request.isEnded()) {
            answer.run();
        } else {
            request.handler(ignored -> { }); // read and drop the body, so that closing sends no reset
            request.endHandler(end -> answer.run());
            request.exceptionHandler(e -> request.connection().close());
            request.resume();
        }
    }

    /**
     * From now on new requests are refused (503 + Retry-After); returns once the requests let in
     * before have finished, or after the drain timeout, whichever first. An interrupt ends the
     * wait early and stays set.
     */
    void closeAndDrain() {
        closed = true;
        LOG.log(Level.INFO, "BRKR035: HTTP gate closed: new requests get 503 with Retry-After; {0} in flight",
                inFlight.get());
        long bound = drainTimeout.toNanos();
        long deadline = System.nanoTime() + bound;
        try {
            synchronized (drained) {
                for (long left = bound; inFlight.get() > 0 && left > 0; left = deadline - System.nanoTime()) {
                    TimeUnit.NANOSECONDS.timedWait(drained, left);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int left = inFlight.get();
        if (left > 0) {
            LOG.log(Level.WARNING, "BRKR036: {0} requests still in flight after {1} ms (quarkus.shutdown.timeout);"
                    + " stopping the workers anyway", left, TimeUnit.NANOSECONDS.toMillis(bound));
        } else {
            LOG.log(Level.INFO, "BRKR035: every request let in has been answered");
        }
    }
}
