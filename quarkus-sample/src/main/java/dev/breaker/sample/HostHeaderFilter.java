package dev.breaker.sample;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * An HTTP/1.x request without {@code Host} is a client's mistake. Vert.x Web fails it with 400
 * before any route runs ("the 'Host' header is required"), and Quarkus' error handler then logs
 * that at ERROR, so any client could flood the error log. This failure handler, ahead of Quarkus'
 * own, answers those requests 400 quietly and closes their connection; every other failure goes
 * on to Quarkus' handler as before.
 */
@ApplicationScoped
public class HostHeaderFilter {

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(rc -> {
            HttpServerRequest request = rc.request();
            boolean http1 = request.version() == HttpVersion.HTTP_1_1 || request.version() == HttpVersion.HTTP_1_0;
            if (http1 && request.getHeader(HttpHeaders.HOST) == null && !rc.response().headWritten()) {
                rc.response().setStatusCode(400)
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .putHeader(HttpHeaders.CONNECTION, "close")
                        .end("{\"error\":\"the Host header is required\"}")
                        .onComplete(sent -> request.connection().close()); // even with a body still unread
                return;
            }
            rc.next();
        });
    }
}
