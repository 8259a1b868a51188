package dev.breaker.tck.runner;

import dev.breaker.tck.spi.App;
import dev.breaker.tck.spi.TckContainer;
import jakarta.enterprise.inject.Instance;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

import java.lang.annotation.Annotation;
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
            return new WeldApp(weld.initialize());
        } catch (RuntimeException e) {
            WeldContainer partial = WeldContainer.instance(id);
            if (partial != null && partial.isRunning()) {
                partial.shutdown();
            }
            throw e;
        }
    }

    private static final class WeldApp implements App {
        private final WeldContainer container;

        WeldApp(WeldContainer container) {
            this.container = container;
        }

        @Override
        public <T> Instance<T> select(Class<T> type, Annotation... qualifiers) {
            return container.select(type, qualifiers);
        }

        @Override
        public void shutdown() {
            if (container.isRunning()) {
                container.shutdown();
            }
        }

        @Override
        public boolean isRunning() {
            return container.isRunning();
        }
    }
}
