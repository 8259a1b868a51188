package dev.breaker.tck.runner;

import dev.breaker.cdi.BreakerExtension;
import dev.breaker.tck.spi.App;
import dev.breaker.tck.spi.TckContainer;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

import java.util.Set;
import java.util.UUID;

/**
 * Weld SE as the README tells users to set it up: discovery off, the bean classes listed, and
 * the portable extension added by hand (Weld SE without discovery loads no extension from
 * {@code META-INF/services}). Used by the {@code weld} and {@code weld-no-config} runners.
 */
public final class WeldTckContainer implements TckContainer {

    @Override
    public String id() {
        return "weld";
    }

    @Override
    public String name() {
        return System.getProperty("tck.container", "Weld SE");
    }

    @Override
    public App start(Set<Class<?>> beanClasses) {
        String id = "tck-" + UUID.randomUUID();
        Weld weld = new Weld(id).disableDiscovery().skipShutdownHook()
                .addBeanClasses(beanClasses.toArray(Class<?>[]::new))
                .addExtension(new BreakerExtension());
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
