package dev.breaker.cdi.internal.health;

import java.util.List;

/**
 * The optional MicroProfile Health integration: its beans, and whether the API is present.
 *
 * <p><b>The checks have no injection points, on purpose.</b> A container places a type that an
 * extension adds in the bean archive it associates with that class. Payara 6 associates a class
 * its scanner did not list (the checks carry no bean-defining annotation, so that no container
 * discovers them without the Health API) with a new bean archive of its own, from which none of
 * the library's other beans is visible ({@code WELD-001408} unsatisfied {@code WorkerLifecycle}).
 * The checks therefore look their two collaborators up at each call through {@code CDI.current()},
 * which resolves in the application's bean manager, wherever the check itself was placed.
 *
 * <p>Stateless; thread-safe.
 */
public final class HealthIntegration {
    private static final String API = "org.eclipse.microprofile.health.HealthCheck";

    private HealthIntegration() {
    }

    /** Whether the MicroProfile Health API can be loaded next to this library. */
    public static boolean available() {
        for (ClassLoader cl : new ClassLoader[] {Thread.currentThread().getContextClassLoader(),
                HealthIntegration.class.getClassLoader()}) {
            if (cl == null) {
                continue;
            }
            try {
                Class.forName(API, false, cl);
                return true;
            } catch (ClassNotFoundException | LinkageError absent) {
                // try the next loader
            }
        }
        return false;
    }

    /** The health check bean classes, by name (loading them needs the API). */
    public static List<String> beanClassNames() {
        return List.of(HealthIntegration.class.getPackageName() + ".WorkersReadiness",
                HealthIntegration.class.getPackageName() + ".WorkersLiveness");
    }

    /** The application's bean of {@code type}, looked up now (see the class comment for why). */
    static <T> T current(Class<T> type) {
        return jakarta.enterprise.inject.spi.CDI.current().select(type).get();
    }
}
