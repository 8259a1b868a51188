package dev.breaker.tck.harness;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.Map;
import java.util.Set;

/**
 * Registers a MicroProfile Config made of exactly one map for the thread context class loader,
 * so {@code ConfigProvider.getConfig()} (what the library reads) sees the test's keys and
 * nothing else (no system properties, no environment). Loaded only when the API is present.
 */
final class MpConfig {
    private static Config installed;
    private static ClassLoader installedFor;

    private MpConfig() {
    }

    static synchronized void install(Map<String, String> values) {
        uninstall();
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        ConfigProviderResolver resolver = ConfigProviderResolver.instance();
        try {
            resolver.releaseConfig(resolver.getConfig(cl)); // one cached earlier (by anyone) for this loader
        } catch (RuntimeException ignored) {
            // nothing registered
        }
        Config config = resolver.getBuilder().withSources(new MapSource(Map.copyOf(values))).build();
        resolver.registerConfig(config, cl);
        installed = config;
        installedFor = cl;
    }

    static synchronized void uninstall() {
        if (installed != null) {
            ConfigProviderResolver.instance().releaseConfig(installed);
            installed = null;
            installedFor = null;
        }
    }

    private record MapSource(Map<String, String> values) implements ConfigSource {
        @Override
        public Set<String> getPropertyNames() {
            return values.keySet();
        }

        @Override
        public String getValue(String propertyName) {
            return values.get(propertyName);
        }

        @Override
        public String getName() {
            return "tck-deployment-config";
        }

        @Override
        public int getOrdinal() {
            return 500;
        }
    }
}
