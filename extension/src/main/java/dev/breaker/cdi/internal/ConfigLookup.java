package dev.breaker.cdi.internal;

import java.util.Optional;
import java.util.Set;

/**
 * Read access to configuration: MicroProfile Config when an implementation is present, else
 * nothing (defaults apply). Implementations are thread-safe.
 */
public interface ConfigLookup {

    /** The value of {@code key}, if set (an empty string counts as unset). */
    Optional<String> get(String key);

    /** Every property name starting with {@code breaker.}, as far as the source can list them. */
    Set<String> breakerKeys();

    /** No configuration: every key is unset. */
    ConfigLookup NONE = new ConfigLookup() {
        @Override
        public Optional<String> get(String key) {
            return Optional.empty();
        }

        @Override
        public Set<String> breakerKeys() {
            return Set.of();
        }
    };

    /**
     * MicroProfile Config's {@code ConfigProvider.getConfig()} if the API and an implementation
     * are on the class path, else {@link #NONE}; never throws. Read on each call, so a
     * configuration that changes between build and run time is seen at run time.
     */
    static ConfigLookup detect() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        try {
            Class.forName("org.eclipse.microprofile.config.ConfigProvider", false,
                    cl != null ? cl : ConfigLookup.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return NONE;
        }
        return MicroProfileConfigLookup.create().orElse(NONE);
    }
}
