package dev.breaker.tck.spi;

import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.se.SeContainer;

import java.lang.annotation.Annotation;

/** A running deployment, as the suite sees it: bean lookup and shutdown. */
public interface App {

    /** Programmatic lookup, as {@code CDI.current().select(type, qualifiers)}. */
    <T> Instance<T> select(Class<T> type, Annotation... qualifiers);

    /**
     * Shuts the container down the way the container does it at the end of an application
     * (firing {@code @BeforeDestroyed(ApplicationScoped.class)} and destroying contexts).
     * Returns when the container's shutdown call returns. Idempotent.
     */
    void shutdown();

    /** Whether {@link #shutdown()} has not been called yet. */
    boolean isRunning();

    /** The standard Java SE container (Weld SE, OpenWebBeans SE) as an {@link App}. */
    static App of(SeContainer container) {
        return new App() {
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
        };
    }
}
