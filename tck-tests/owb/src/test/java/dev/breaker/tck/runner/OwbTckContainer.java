package dev.breaker.tck.runner;

import dev.breaker.tck.spi.App;
import dev.breaker.tck.spi.TckContainer;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.se.SeContainer;
import jakarta.enterprise.inject.se.SeContainerInitializer;

import java.lang.annotation.Annotation;
import java.util.Set;

/**
 * OpenWebBeans SE through the standard {@link SeContainerInitializer} (openwebbeans-se): discovery
 * off and the bean classes listed. OWB loads portable extensions from {@code META-INF/services}
 * itself, so the library's extension is not added by hand.
 */
public final class OwbTckContainer implements TckContainer {

    @Override
    public String id() {
        return "owb";
    }

    @Override
    public String name() {
        return System.getProperty("tck.container", "OpenWebBeans SE");
    }

    @Override
    public App start(Set<Class<?>> beanClasses) {
        SeContainer container = SeContainerInitializer.newInstance()
                .disableDiscovery()
                .addBeanClasses(beanClasses.toArray(Class<?>[]::new))
                .initialize();
        return new OwbApp(container);
    }

    private static final class OwbApp implements App {
        private final SeContainer container;

        OwbApp(SeContainer container) {
            this.container = container;
        }

        @Override
        public <T> Instance<T> select(Class<T> type, Annotation... qualifiers) {
            return container.select(type, qualifiers);
        }

        @Override
        public void shutdown() {
            if (container.isRunning()) {
                container.close();
            }
        }

        @Override
        public boolean isRunning() {
            return container.isRunning();
        }
    }
}
