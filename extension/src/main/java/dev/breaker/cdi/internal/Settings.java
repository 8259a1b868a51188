package dev.breaker.cdi.internal;

import dev.breaker.worker.Policy;
import dev.breaker.worker.WorkerGraph;
import dev.breaker.worker.WorkerSpec;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The extension's configuration keys, their defaults and their parsing. Every getter reads the
 * {@link ConfigLookup} and throws {@link IllegalArgumentException} with a {@code BRKR004} message
 * naming key and value when a value is invalid (whatever the parser threw, overflow included);
 * {@link #validate} reports every invalid value at once. Durations are bounded by
 * {@link Durations#MAX}, so none overflows when a clock reading is added to it. Thread-safe (holds nothing mutable).
 */
public final class Settings {
    public static final String PREFIX = "breaker.";
    public static final String SHUTDOWN_TIMEOUT = "breaker.shutdown.timeout";
    public static final String DEFAULT_TIMEOUT = "breaker.default.timeout";
    public static final String EXIT_ON_ABORT = "breaker.shutdown.exit-on-abort";
    public static final String READINESS_DELAY = "breaker.shutdown.readiness-delay";
    public static final String BUDGET_ENABLED = "breaker.budget.enabled";
    public static final String BUDGET_MARGIN = "breaker.budget.margin";
    public static final String BUDGET_MAX = "breaker.budget.max";
    /** Where each shutdown's timeline is written (a Mermaid Gantt chart; fenced in a {@code .md} file). */
    public static final String REPORT_FILE = "breaker.shutdown.report-file";
    static final String EXPECTED_FILE = "a file path in an existing directory, not a directory";
    /** What a hop keeps of a caller's budget by default: the answer's way back. */
    static final Duration DEFAULT_BUDGET_MARGIN = Duration.ofMillis(10);
    /** The graph's defaults: the whole shutdown fits Kubernetes' default 30 s grace period. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = WorkerGraph.DEFAULT_SHUTDOWN_TIMEOUT;
    public static final Duration DEFAULT_STOP_TIMEOUT = WorkerSpec.DEFAULT_STOP_TIMEOUT;
    public static final Duration DEFAULT_RESTART_WINDOW = WorkerSpec.DEFAULT_RESTART_WINDOW;
    static final Set<String> WORKER_KEYS = Set.of("start-timeout", "stop-timeout", "enabled", "on-error",
            "on-return", "max-restarts", "restart-window");
    static final Set<String> BREAKER_KEYS = Set.of("timeout", "deadline");

    private final ConfigLookup config;

    public Settings(ConfigLookup config) {
        this.config = config;
    }

    public ConfigLookup config() {
        return config;
    }

    public Duration shutdownTimeout() {
        return positive(SHUTDOWN_TIMEOUT).orElse(DEFAULT_SHUTDOWN_TIMEOUT);
    }

    /**
     * How long readiness stays DOWN before the workers stop and the breakers trip, once shutdown
     * has been announced; default zero (stop at once).
     */
    public Duration readinessDelay() {
        return duration(READINESS_DELAY).orElse(Duration.ZERO);
    }

    /** Whether a worker's abort ends the process ({@code System.exit(1)}); default false. */
    public boolean exitOnAbort() {
        return parse(EXIT_ON_ABORT, Settings::bool, "true or false").orElse(false);
    }

    /** Whether an inbound {@code Breaker-Budget} header is applied to the request; default true. */
    public boolean budgetEnabled() {
        return parse(BUDGET_ENABLED, Settings::bool, "true or false").orElse(true);
    }

    /** What is taken off an inbound budget for the way back to the caller; default 10 ms. */
    public Duration budgetMargin() {
        return duration(BUDGET_MARGIN).orElse(DEFAULT_BUDGET_MARGIN);
    }

    /** The largest inbound budget taken as it is (larger ones are cut to it); default none. */
    public Optional<Duration> budgetMax() {
        return positive(BUDGET_MAX);
    }

    /**
     * The file that each shutdown's timeline is written to ({@link #REPORT_FILE}), if any. It
     * must be a path whose directory exists and that is not itself a directory: checked at
     * deployment, so that the one shutdown you need to see is not lost to a typo.
     */
    public Optional<java.nio.file.Path> reportFile() {
        return parse(REPORT_FILE, Settings::file, EXPECTED_FILE);
    }

    public Optional<Duration> defaultTimeout() {
        return duration(DEFAULT_TIMEOUT);
    }

    public Optional<Duration> timeout(String breakerName) {
        return duration(PREFIX + breakerName + ".timeout");
    }

    public Optional<Instant> deadline(String breakerName) {
        return parse(PREFIX + breakerName + ".deadline", Instant::parse,
                "an ISO-8601 instant such as 2030-01-01T00:00:00Z");
    }

    public WorkerSettings worker(String name) {
        String p = PREFIX + "worker." + name + ".";
        return new WorkerSettings(
                parse(p + "enabled", Settings::bool, "true or false").orElse(true),
                positive(p + "start-timeout"),
                positive(p + "stop-timeout").orElse(DEFAULT_STOP_TIMEOUT),
                parse(p + "on-error", Settings::policy, "nothing, restart or shutdown"),
                parse(p + "on-return", Settings::policy, "nothing, restart or shutdown"),
                parse(p + "max-restarts", Settings::count, "a whole number, 0 or more"),
                positive(p + "restart-window"));
    }

    /**
     * Reads every key of the given workers and breakers, and every {@code breaker.*} key the
     * configuration lists, reporting each invalid value to {@code problems}.
     */
    public void validate(DeploymentModel model, Consumer<String> problems) {
        check(this::shutdownTimeout, problems);
        check(this::defaultTimeout, problems);
        check(this::exitOnAbort, problems);
        check(this::readinessDelay, problems);
        check(this::budgetEnabled, problems);
        check(this::budgetMargin, problems);
        check(this::budgetMax, problems);
        check(this::reportFile, problems);
        Set<String> breakers = new LinkedHashSet<>(model.breakerNames());
        Set<String> workers = new LinkedHashSet<>();
        model.workers().forEach(w -> workers.add(w.name()));
        for (String key : config.breakerKeys()) {
            String rest = key.substring(PREFIX.length());
            if (rest.startsWith("worker.")) {
                int dot = rest.lastIndexOf('.');
                if (dot > "worker.".length() && WORKER_KEYS.contains(rest.substring(dot + 1))) {
                    workers.add(rest.substring("worker.".length(), dot));
                }
            } else {
                int dot = rest.lastIndexOf('.');
                if (dot > 0 && BREAKER_KEYS.contains(rest.substring(dot + 1))
                        && !Names.RESERVED.contains(rest.substring(0, dot))) {
                    breakers.add(rest.substring(0, dot));
                }
            }
        }
        for (String b : breakers) {
            check(() -> timeout(b), problems);
            check(() -> deadline(b), problems);
        }
        for (String w : workers) {
            String p = PREFIX + "worker." + w + ".";
            check(() -> positive(p + "start-timeout"), problems);
            check(() -> positive(p + "stop-timeout"), problems);
            check(() -> positive(p + "restart-window"), problems);
            check(() -> parse(p + "enabled", Settings::bool, "true or false"), problems);
            check(() -> parse(p + "on-error", Settings::policy, "nothing, restart or shutdown"), problems);
            check(() -> parse(p + "on-return", Settings::policy, "nothing, restart or shutdown"), problems);
            check(() -> parse(p + "max-restarts", Settings::count, "a whole number, 0 or more"), problems);
        }
    }

    private static void check(java.util.function.Supplier<?> read, Consumer<String> problems) {
        try {
            read.get();
        } catch (IllegalArgumentException e) {
            problems.accept(e.getMessage());
        }
    }

    private Optional<Duration> duration(String key) {
        return parse(key, Durations::parse, Durations.EXPECTED);
    }

    /** Timeouts of the worker graph must be greater than zero. */
    private Optional<Duration> positive(String key) {
        return parse(key, text -> {
            Duration d = Durations.parse(text);
            if (d.isZero()) {
                throw new IllegalArgumentException(text);
            }
            return d;
        }, Durations.EXPECTED_POSITIVE);
    }

    private <T> Optional<T> parse(String key, Function<String, T> parser, String expected) {
        Optional<String> raw = config.get(key);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(parser.apply(raw.get().trim()));
        } catch (Durations.OutOfRange e) {
            throw new IllegalArgumentException(Messages.invalidValue(key, raw.get(), Durations.EXPECTED_AT_MOST), e);
        } catch (RuntimeException e) { // any parser failure (overflow included) is this key's problem
            throw new IllegalArgumentException(Messages.invalidValue(key, raw.get(), expected), e);
        }
    }

    private static java.nio.file.Path file(String s) {
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty");
        }
        java.nio.file.Path p = java.nio.file.Path.of(s).toAbsolutePath(); // InvalidPathException is an IllegalArgumentException
        java.nio.file.Path dir = p.getParent();
        if (dir == null || !java.nio.file.Files.isDirectory(dir) || java.nio.file.Files.isDirectory(p)) {
            throw new IllegalArgumentException(s);
        }
        return p;
    }

    private static Boolean bool(String s) {
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return Boolean.valueOf(s);
        }
        throw new IllegalArgumentException(s);
    }

    private static Policy policy(String s) {
        return Policy.valueOf(s.toUpperCase(Locale.ROOT));
    }

    private static Integer count(String s) {
        int n = Integer.parseInt(s);
        if (n < 0) {
            throw new IllegalArgumentException(s);
        }
        return n;
    }
}
