package dev.breaker.quarkus.runtime;

import dev.breaker.cdi.internal.WorkerLifecycle;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Dev mode only (the deployment registers it there): {@code GET /q/breaker/graph} answers the
 * worker graph as a Mermaid flowchart, for the Dev UI card's page (paste it into mermaid.live or a
 * Markdown file to draw it). Each worker's live state is on the card's readiness page.
 *
 * <p>Thread-safe: stateless; the graph is read at each request.
 */
@Singleton
public class DevGraphRoute {
    /** The path under the non-application root ({@code /q/}). */
    public static final String PATH = "breaker/graph";

    private final WorkerLifecycle lifecycle;
    private final String path;

    @Inject
    DevGraphRoute(WorkerLifecycle lifecycle,
                  @ConfigProperty(name = "quarkus.http.root-path", defaultValue = "/") String rootPath,
                  @ConfigProperty(name = "quarkus.http.non-application-root-path", defaultValue = "q") String nonApplication) {
        this.lifecycle = lifecycle;
        this.path = HttpGate.managementPrefix(rootPath, nonApplication) + PATH;
    }

    void register(@Observes Router router) {
        router.get(path).handler(rc -> rc.response().putHeader("Content-Type", "text/plain; charset=utf-8")
                .end(lifecycle.graphAsMermaid()));
    }
}
