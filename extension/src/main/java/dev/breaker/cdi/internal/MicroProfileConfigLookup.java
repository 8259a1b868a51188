package dev.breaker.cdi.internal;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@link ConfigLookup} over MicroProfile Config. Loaded only after {@link ConfigLookup#detect()}
 * has seen the API, so the extension links without it. Thread-safe (Config is).
 */
final class MicroProfileConfigLookup implements ConfigLookup {
    private static final System.Logger LOG = System.getLogger("dev.breaker.cdi");
    private final Config config;

    private MicroProfileConfigLookup(Config config) {
        this.config = config;
    }

    static Optional<ConfigLookup> create() {
        try {
            return Optional.of(new MicroProfileConfigLookup(ConfigProvider.getConfig()));
        } catch (RuntimeException | java.util.ServiceConfigurationError | LinkageError e) {
            LOG.log(System.Logger.Level.DEBUG, "no MicroProfile Config implementation; Breaker uses defaults", e);
            return Optional.empty();
        }
    }

    @Override
    public Optional<String> get(String key) {
        return config.getOptionalValue(key, String.class).filter(v -> !v.isBlank());
    }

    @Override
    public Set<String> breakerKeys() {
        Set<String> keys = new TreeSet<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith("breaker.")) {
                keys.add(name);
            }
        }
        return keys;
    }
}
