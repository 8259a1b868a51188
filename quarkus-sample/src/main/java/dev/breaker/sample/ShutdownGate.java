package dev.breaker.sample;

import dev.breaker.cdi.ShutdownSequence;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP side of the shutdown sequence ({@link Main} drives it):
 * <ul>
 * <li>Once the shutdown is announced (readiness DOWN), every HTTP/1.x response says
 * {@code Connection: close} and its connection is closed after it, so that clients and load
 * balancers drop their pooled keep-alive connections cleanly, after a complete response, instead
 * of finding them reset later.</li>
 * <li>{@link #closeAndDrain}, once the readiness delay is over: every new request is answered 503
 * with {@code Retry-After} and {@code Connection: close} (after its body has been read, so that
 * closing sends no reset); the requests already let in are waited for, at most
 * {@code quarkus.shutdown.timeout}. The workers stop after that, while this keeps answering.</li>
 * </ul>
 * The management endpoints under {@code /q/} (health) are never refused: readiness answers DOWN
 * until the HTTP server closes.
 *
 * <p>Thread-safe: a request counts itself in before it looks at the gate, and the closer looks at
 * the count after closing (both sequentially consistent), so no request slips in unseen.
 */
@ApplicationScoped
public class ShutdownGate {
    private static final Logger LOG = Logger.getLogger(ShutdownGate.class);
    /** Seconds a refused client should wait: this instance is going away; retry on another. */
    static final int RETRY_AFTER_SECONDS = 5;

    @Inject
    ShutdownSequence shutdown;

    /** Also Quarkus' own bound for its HTTP drain. */
    @ConfigProperty(name = "quarkus.shutdown.timeout")
    Optional<Duration> drainTimeout;

    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object drained = new Object();
    private volatile boolean closed;

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(this::handle);
    }

    private void handle(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        if (request.version() == null) {
            // a version Vert.x does not know (HTTP/9.9): it would answer it as if it were HTTP/1.1
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
        if (rc.normalizedPath().startsWith("/q/")) {
            rc.next(); // health and the other management endpoints answer to the end
            return;
        }
        inFlight.incrementAndGet();
        if (closed) {
            leave();
            refuse(request);
            return;
        }
        java.util.concurrent.atomic.AtomicBoolean counted = new java.util.concurrent.atomic.AtomicBoolean(true);
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

    /** Requests let in and not yet ended (health and management requests are not counted). */
    int inFlight() {
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
     * before have finished, or after {@code quarkus.shutdown.timeout} (10 s), whichever first.
     */
    public void closeAndDrain() {
        closed = true;
        LOG.infof("Shutdown gate closed: new requests get 503 with Retry-After; %d in flight", inFlight.get());
        long bound = drainTimeout.orElse(Duration.ofSeconds(10)).toNanos();
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
            LOG.warnf("Shutdown gate: %d requests still in flight after %d ms; stopping the workers anyway", left,
                    TimeUnit.NANOSECONDS.toMillis(bound));
        } else {
            LOG.info("Shutdown gate: every request let in has been answered");
        }
    }
}
