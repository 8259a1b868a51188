package dev.breaker.tck.spi;

import java.util.Set;

/**
 * What a runner module provides to run the suite on one container: found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/dev.breaker.tck.spi.TckContainer} in
 * the runner's test resources). One implementation per runner; the suite never names a container.
 *
 * <p>Configuration is not passed here: the suite registers a MicroProfile Config for the thread
 * context class loader before {@link #start}, so containers need do nothing about it.
 */
public interface TckContainer {

    /** A short id used by {@code @DisabledOn} and in reports, such as {@code weld}. */
    String id();

    /** A human name for reports, such as {@code Weld SE (portable extension)}. */
    String name();

    /**
     * Whether each test method must run in a fresh class loader that loads the suite and the
     * library itself ({@link dev.breaker.tck.isolation.IsolatingClassLoader}); ArC generates
     * classes into the beans' packages, so each deployment needs its own.
     */
    default boolean isolatesEachTest() {
        return false;
    }

    /**
     * Boots the container with exactly these bean classes plus the library, and returns it
     * running (its workers started).
     *
     * @throws Exception what the container threw when the deployment failed (definition,
     *                   deployment or start-up error)
     */
    App start(Set<Class<?>> beanClasses) throws Exception;
}
