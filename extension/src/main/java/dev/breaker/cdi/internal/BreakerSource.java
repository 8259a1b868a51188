package dev.breaker.cdi.internal;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * Makes the breakers the application injects. Owns the one application-wide shutdown breaker,
 * which trips (with a {@link dev.breaker.BreakReason.Kind#SHUTDOWN SHUTDOWN} root reason) when
 * the container begins to shut down, before any worker stops; every breaker made here is a
 * child of it. Registered by the extensions, once, whatever the container scans (see
 * {@link LibraryBeans}).
 *
 * <p><b>Bounded.</b> The configuration of a breaker name is read once and cached, but only for
 * the names the deployment knows (every {@code @BreakerConfig} name, every name the configuration
 * lists) and for at most {@link #MAX_CACHED_NAMES} others: names made up at run time
 * ({@code factory.named(userInput)}) cannot grow the cache without bound; past the bound their
 * configuration is read on each call. A breaker without a timeout that the application drops
 * unclosed is garbage-collected (see {@link ApplicationShutdown}).
 *
 * <p>Thread-safe: the settings cache is concurrent and the shutdown breaker is thread-safe.
 */
@jakarta.inject.Singleton
public class BreakerSource {
    /** How many names outside the deployment's own are cached. */
    static final int MAX_CACHED_NAMES = 256;
    private static final String DEFAULT_NAME = "default";

    private final ApplicationShutdown shutdown = new ApplicationShutdown();
    private final Settings settings;
    private final Set<String> knownNames;
    private final ConcurrentMap<String, Limits> named = new ConcurrentHashMap<>();
    private volatile Optional<Duration> defaultTimeout; // null until read

    @Inject
    public BreakerSource(DeploymentModel model) {
        this(ConfigLookup.detect(), new HashSet<>(model.breakerNames()));
    }

    BreakerSource(ConfigLookup config, Set<String> injectedNames) {
        this.settings = new Settings(config);
        Set<String> known = new HashSet<>(injectedNames);
        for (String key : config.breakerKeys()) { // breaker.<name>.timeout / .deadline
            int dot = key.lastIndexOf('.');
            if (dot > Settings.PREFIX.length()) {
                known.add(key.substring(Settings.PREFIX.length(), dot));
            }
        }
        this.knownNames = Set.copyOf(known);
    }

    /** The breaker for {@code @Inject Breaker}: shutdown, or {@code breaker.default.timeout}. */
    public Breaker application() {
        Optional<Duration> timeout = defaultTimeout();
        return timeout.isPresent() ? shutdown.child(timeout.get()) : shutdown.child(DEFAULT_NAME);
    }

    /** {@code breaker.default.timeout}, read at the first call (racing first calls read the same value). */
    private Optional<Duration> defaultTimeout() {
        Optional<Duration> d = defaultTimeout;
        if (d == null) {
            d = settings.defaultTimeout();
            defaultTimeout = d;
        }
        return d;
    }

    /**
     * What makes breakers for one injection point, its name checked and its configuration read
     * once, so that a request that makes one pays for neither.
     *
     * @throws IllegalArgumentException if the name is malformed or reserved, or its configuration
     *                                  is invalid
     */
    BreakerMaker maker(String name) {
        if (DEFAULT_NAME.equals(name)) {
            return new BreakerMaker() {
                @Override
                public Breaker get() {
                    return application();
                }

                @Override
                public Breaker under(Duration left, BreakReason budget) {
                    Optional<Duration> timeout = defaultTimeout();
                    if (timeout.isPresent() && timeout.get().compareTo(left) <= 0) {
                        return shutdown.child(timeout.get());
                    }
                    return shutdown.child(left, budget);
                }
            };
        }
        if (!Names.isValidBreakerName(name)) {
            throw new IllegalArgumentException(Messages.invalidBreakerName(name));
        }
        Limits limits = limits(name);
        return new BreakerMaker() {
            @Override
            public Breaker get() {
                return make(name, limits);
            }

            @Override
            public Breaker under(Duration left, BreakReason budget) {
                Optional<Duration> own = earliest(limits);
                if (own.isPresent() && own.get().compareTo(left) <= 0) {
                    return shutdown.child(own.get());
                }
                return shutdown.child(left, budget);
            }
        };
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
        return make(name, limits(name));
    }

    private Breaker make(String name, Limits limits) {
        Optional<Duration> timeout = earliest(limits);
        return timeout.isPresent() ? shutdown.child(timeout.get()) : shutdown.child(name);
    }

    /** The earlier of the configured timeout (from now) and the time until the configured deadline. */
    private static Optional<Duration> earliest(Limits limits) {
        Optional<Duration> timeout = limits.timeout;
        if (limits.deadline.isPresent()) {
            Duration untilDeadline = Duration.between(Instant.now(), limits.deadline.get());
            if (untilDeadline.isNegative()) {
                untilDeadline = Duration.ZERO;
            } else if (untilDeadline.compareTo(Durations.MAX) > 0) {
                untilDeadline = Durations.MAX; // a deadline centuries away saturates like a configured duration
            }
            if (timeout.isEmpty() || untilDeadline.compareTo(timeout.get()) < 0) {
                timeout = Optional.of(untilDeadline);
            }
        }
        return timeout;
    }

    /**
     * Whether a breaker of this name has a timeout (for {@code "default"}: whether
     * {@code breaker.default.timeout} is set), so that, made once and kept, it would trip once
     * and stay tripped.
     */
    boolean hasTimeout(String name) {
        if (DEFAULT_NAME.equals(name)) {
            return defaultTimeout().isPresent();
        }
        return Names.isValidBreakerName(name) && limits(name).timeout.isPresent();
    }

    private Limits limits(String name) {
        Limits cached = named.get(name);
        if (cached != null) {
            return cached;
        }
        Limits limits = new Limits(settings.timeout(name), settings.deadline(name));
        if (knownNames.contains(name) || named.size() < MAX_CACHED_NAMES) {
            named.putIfAbsent(name, limits); // may overshoot the bound by the number of racing threads
        }
        return limits;
    }

    /**
     * Trips every breaker made here. Idempotent. Package-private: only the library's shutdown
     * trips the application's breakers; a bean that injects this class cannot.
     */
    void beginShutdown() {
        shutdown.begin();
    }

    /** Whether the application's breakers have tripped (read-only: for the readiness check). */
    public boolean shutdownBegun() {
        return shutdown.breaker().isBroken();
    }

    /** The application shutdown breaker itself (package-private: nobody outside may close it). */
    Breaker shutdownBreaker() {
        return shutdown.breaker();
    }

    /** Registrations held on the shutdown stripes: a test hook. */
    int stripeRegistrations() {
        return shutdown.registrations();
    }

    /** Breakers garbage-collected without being closed: a test hook. */
    long leakedBreakers() {
        return shutdown.leaks();
    }

    /** Names whose configuration is cached: a test hook. */
    int cachedNames() {
        return named.size();
    }

    private record Limits(Optional<Duration> timeout, Optional<Instant> deadline) {
    }
}
