package dev.breaker.cdi.internal.health;

import java.util.List;

/**
 * The optional MicroProfile Health integration: its beans, and whether the API is present.
 * Stateless; thread-safe.
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
}
