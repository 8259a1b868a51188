package dev.breaker.cdi.internal;

import dev.breaker.Breaker;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Makes the breakers the application injects. Owns the one application-wide shutdown breaker,
 * which trips (with a {@link dev.breaker.BreakReason.Kind#SHUTDOWN SHUTDOWN} root reason) when
 * the container begins to shut down, before any worker stops; every breaker made here is a
 * child of it. Registered by the extensions (no bean-defining annotation for discovery; ArC
 * treats {@code @Singleton} as one, which is harmless).
 *
 * <p>Thread-safe: the settings cache is concurrent and the shutdown breaker is thread-safe.
 */
@jakarta.inject.Singleton
public class BreakerSource {
    private final ApplicationShutdown shutdown = new ApplicationShutdown();
    private final Settings settings = new Settings(ConfigLookup.detect());
    private final ConcurrentMap<String, Limits> named = new ConcurrentHashMap<>();

    /** The breaker for {@code @Inject Breaker}: shutdown, or {@code breaker.default.timeout}. */
    public Breaker application() {
        Optional<Duration> timeout = settings.defaultTimeout();
        return timeout.isPresent() ? shutdown.child(timeout.get()) : shutdown.child();
    }

    /**
     * The breaker for {@code @BreakerConfig(name)}: {@code breaker.<name>.timeout} from now,
     * {@code breaker.<name>.deadline}, or shutdown, whichever comes first.
     *
     * @throws IllegalArgumentException if the name is malformed or reserved, or its configuration
     *                                  is invalid
     */
    public Breaker named(String name) {
        if (!Names.isValidBreakerName(name)) {
            throw new IllegalArgumentException(Messages.invalidBreakerName(name));
        }
        Limits limits = named.computeIfAbsent(name, n -> new Limits(settings.timeout(n), settings.deadline(n)));
        Optional<Duration> timeout = limits.timeout;
        if (limits.deadline.isPresent()) {
            Duration untilDeadline = Duration.between(Instant.now(), limits.deadline.get());
            if (untilDeadline.isNegative()) {
                untilDeadline = Duration.ZERO;
            }
            if (timeout.isEmpty() || untilDeadline.compareTo(timeout.get()) < 0) {
                timeout = Optional.of(untilDeadline);
            }
        }
        return timeout.isPresent() ? shutdown.child(timeout.get()) : shutdown.child();
    }

    /** Trips every breaker made here. Idempotent. */
    public void beginShutdown() {
        shutdown.begin();
    }

    /** The application shutdown breaker itself; callers must not close it. */
    public Breaker shutdownBreaker() {
        return shutdown.breaker();
    }

    private record Limits(Optional<Duration> timeout, Optional<Instant> deadline) {
    }
}
