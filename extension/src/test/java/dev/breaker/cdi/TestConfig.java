package dev.breaker.cdi;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Installs a SmallRye Config with the given properties as this thread's MicroProfile Config for
 * the duration of a test (the extension reads {@code ConfigProvider.getConfig()}), then removes it.
 */
final class TestConfig implements AutoCloseable {
    private final SmallRyeConfig config;
    private final ClassLoader loader = Thread.currentThread().getContextClassLoader();

    private TestConfig(Map<String, String> properties) {
        ConfigProviderResolver resolver = ConfigProviderResolver.instance();
        try {
            resolver.releaseConfig(resolver.getConfig(loader));
        } catch (RuntimeException none) {
            // nothing registered yet
        }
        config = new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(properties, "test", 500)).build();
        resolver.registerConfig(config, loader);
    }

    /** {@code of("breaker.a.timeout", "2s", "breaker.b.timeout", "1s")}. */
    static TestConfig of(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return new TestConfig(map);
    }

    @Override
    public void close() {
        ConfigProviderResolver.instance().releaseConfig(config);
    }
}
