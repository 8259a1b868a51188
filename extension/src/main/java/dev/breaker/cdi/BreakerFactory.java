package dev.breaker.cdi;

import dev.breaker.Breaker;
import dev.breaker.cdi.internal.BreakerSource;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Makes configured breakers on demand, for code that needs one per call outside a request (an
 * injected breaker already bounds each request): a scheduler, a job, a worker's routine:
 *
 * <pre>{@code
 * @Inject BreakerFactory breakers;
 *
 * void poll() {
 *     try (Breaker breaker = breakers.named("poll")) {   // breaker.poll.timeout=5s
 *         source.fetch(breaker);
 *     }
 * }
 * }</pre>
 *
 * Each breaker is configured like an injected {@code @BreakerConfig(name) Breaker}: its clock
 * starts now, and it trips at {@code breaker.<name>.timeout}, at {@code breaker.<name>.deadline}
 * or when the application begins to shut down. The caller owns it and must close it
 * (try-with-resources), which frees its timer entry at once.
 *
 * <p>Thread-safe: one factory serves every thread.
 */
@Singleton
public class BreakerFactory {
    private final BreakerSource source;

    /** The container makes the one factory; its constructor takes an internal type, so it is not public. */
    @Inject
    BreakerFactory(BreakerSource source) {
        this.source = source;
    }

    /**
     * A new breaker configured by {@code breaker.<name>.*}.
     *
     * @param name the breaker's name, as in {@link BreakerConfig#value()}
     * @return a new breaker whose clock starts now, tripping at the configured timeout or
     *         deadline or when the application begins to shut down; the caller closes it
     * @throws IllegalArgumentException if the name is malformed ({@code [a-z0-9][a-z0-9-]*}),
     *                                  reserved ({@code default}, {@code worker}, {@code shutdown}),
     *                                  or its configuration is invalid
     */
    public Breaker named(String name) {
        return source.named(name);
    }

    /**
     * A new breaker like {@code @Inject Breaker}: shutdown, or {@code breaker.default.timeout}.
     *
     * @return a new breaker that trips when the application begins to shut down, or at
     *         {@code breaker.default.timeout} from now if that is configured; the caller closes it
     */
    public Breaker application() {
        return source.application();
    }
}
