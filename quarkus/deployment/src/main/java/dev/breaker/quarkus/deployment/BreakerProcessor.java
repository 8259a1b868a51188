package dev.breaker.quarkus.deployment;

import dev.breaker.quarkus.runtime.BreakerShutdownListener;
import dev.breaker.quarkus.runtime.DevGraphRoute;
import dev.breaker.quarkus.runtime.HttpGate;
import dev.breaker.quarkus.runtime.SignalExit;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.deployment.IsDevelopment;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.deployment.builditem.ShutdownListenerBuildItem;
import io.quarkus.devui.spi.page.CardPageBuildItem;
import io.quarkus.devui.spi.page.Page;
import io.quarkus.vertx.http.deployment.NonApplicationRootPathBuildItem;

/**
 * Build steps of the Breaker extension. The CDI part (workers, breakers, health) comes from
 * {@code breaker-cdi}'s build compatible extension, which ArC runs by itself; this adds what only
 * Quarkus can give: a place in Quarkus' graceful shutdown before the HTTP server closes, the HTTP
 * gate, and the signal handlers.
 */
class BreakerProcessor {
    private static final String FEATURE = "breaker";

    @BuildStep
    FeatureBuildItem feature() {
        return new FeatureBuildItem(FEATURE);
    }

    @BuildStep
    AdditionalBeanBuildItem beans() {
        // unremovable: nothing in the application injects them
        return AdditionalBeanBuildItem.builder().addBeanClasses(HttpGate.class, SignalExit.class)
                .setUnremovable().build();
    }

    @BuildStep
    ShutdownListenerBuildItem shutdownListener() {
        return new ShutdownListenerBuildItem(new BreakerShutdownListener());
    }

    @BuildStep(onlyIf = IsDevelopment.class)
    AdditionalBeanBuildItem devGraphRoute() {
        return AdditionalBeanBuildItem.builder().addBeanClasses(DevGraphRoute.class).setUnremovable().build();
    }

    /**
     * The Dev UI card: each worker's state and the shutdown's progress (the readiness response,
     * whose {@code breaker-workers} check lists them), and the worker graph as Mermaid.
     */
    @BuildStep(onlyIf = IsDevelopment.class)
    CardPageBuildItem devUiCard(NonApplicationRootPathBuildItem paths) {
        CardPageBuildItem card = new CardPageBuildItem();
        card.addPage(Page.externalPageBuilder("Workers and readiness")
                .icon("font-awesome-solid:diagram-project")
                .url(paths.resolvePath("health/ready"))
                .isJsonContent());
        card.addPage(Page.externalPageBuilder("Worker graph (Mermaid)")
                .icon("font-awesome-solid:sitemap")
                .url(paths.resolvePath(DevGraphRoute.PATH))
                .mimeType("text/plain"));
        return card;
    }
}
