package dev.breaker.tck.runner;

import dev.breaker.cdi.ForcedBuildExtension;
import dev.breaker.tck.spi.App;
import dev.breaker.tck.spi.TckContainer;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

import java.util.Set;
import java.util.UUID;

/**
 * Weld SE running the library's build compatible extension instead of its portable one, so the
 * CDI Lite code path is proven on a second container. Weld skips every build compatible
 * extension annotated {@code @SkipIfPortableExtensionPresent}, so {@link ForcedBuildExtension}
 * (the same extension without that annotation) is registered explicitly; the portable extension
 * is not registered at all (discovery is off).
 */
public final class WeldBceTckContainer implements TckContainer {

    @Override
    public String id() {
        return "weld-bce";
    }

    @Override
    public String name() {
        return System.getProperty("tck.container", "Weld SE (build compatible extension)");
    }

    @Override
    public App start(Set<Class<?>> beanClasses) {
        String id = "tck-bce-" + UUID.randomUUID();
        Weld weld = new Weld(id).disableDiscovery().skipShutdownHook()
                .addBeanClasses(beanClasses.toArray(Class<?>[]::new))
                .addBuildCompatibleExtensions(ForcedBuildExtension.class);
        try {
            return App.of(weld.initialize());
        } catch (RuntimeException e) {
            WeldContainer partial = WeldContainer.instance(id);
            if (partial != null && partial.isRunning()) {
                partial.shutdown();
            }
            throw e;
        }
    }
}
