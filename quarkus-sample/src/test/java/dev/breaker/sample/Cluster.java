package dev.breaker.sample;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Several instances of the packaged sample ({@link SampleProcess}, each a JVM of its own on a
 * free loopback port) sharing one new database on the module's embedded PostgreSQL server
 * ({@link EmbeddedPostgresServer}): a deployment with several replicas. Every instance names
 * itself to the server, so {@code pg_stat_activity.application_name} tells which instance a
 * connection belongs to.
 *
 * <pre>{@code
 * try (Cluster cluster = Cluster.onNewDatabase(dir)) {
 *     cluster.startAll(List.of("a", "b", "c"), Map.of()); // in parallel, like replicas
 *     cluster.instance("b").kill9();
 *     cluster.start("b", Map.of());                       // the same name again: log b.2.log
 * }
 * }</pre>
 *
 * A name is one replica: {@link #instance} is its latest process. {@link #close()} kills every
 * process it started that still runs. Starts may run in parallel ({@link #startAsync});
 * everything else is for the test's thread.
 */
final class Cluster implements AutoCloseable {
    private final Path dir;
    private final EmbeddedPostgresServer.Database db;
    private final Map<String, SampleProcess> latest = new LinkedHashMap<>(); // guarded by this
    private final Map<String, Integer> generations = new HashMap<>(); // guarded by this
    private final List<SampleProcess> started = new ArrayList<>(); // guarded by this
    private final ExecutorService starter = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "cluster-start");
        t.setDaemon(true);
        return t;
    });

    private Cluster(Path dir, EmbeddedPostgresServer.Database db) {
        this.dir = dir;
        this.db = db;
    }

    /** A cluster (nothing started yet) on a new, empty database; logs go to {@code dir}. */
    static Cluster onNewDatabase(Path dir) throws Exception {
        return new Cluster(dir, EmbeddedPostgresServer.get().newDatabase());
    }

    EmbeddedPostgresServer.Database database() {
        return db;
    }

    /** A connection of the test's own, as the application's user. */
    Connection connect() throws SQLException {
        return db.connect();
    }

    /** Starts one instance with {@code extra} settings on top of the database's; returns once it listens. */
    SampleProcess start(String name, Map<String, String> extra) throws Exception {
        String logName;
        synchronized (this) {
            int generation = generations.merge(name, 1, Integer::sum);
            logName = generation == 1 ? name : name + "." + generation;
        }
        Map<String, String> config = new HashMap<>(db.settings(name));
        config.putAll(extra);
        SampleProcess app = SampleProcess.start(dir, logName, config);
        synchronized (this) {
            started.add(app);
            latest.put(name, app);
        }
        return app;
    }

    /** {@link #start} on a thread of its own. */
    CompletableFuture<SampleProcess> startAsync(String name, Map<String, String> extra) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return start(name, extra);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, starter);
    }

    /**
     * Starts one instance per name, all at once; returns them once all listen, or throws an
     * AssertionError that names every instance that did not start (with its log).
     */
    List<SampleProcess> startAll(List<String> names, Map<String, String> extra) {
        return awaitAll(names, names.stream().map(n -> startAsync(n, extra)).toList());
    }

    /** Waits for starts from {@link #startAsync}, one per name; as {@link #startAll}. */
    static List<SampleProcess> awaitAll(List<String> names, List<CompletableFuture<SampleProcess>> starts) {
        List<SampleProcess> apps = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < starts.size(); i++) {
            try {
                apps.add(starts.get(i).join());
            } catch (CompletionException e) {
                Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null ? c.getCause() : e.getCause();
                failures.add(names.get(i) + ": " + cause.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " of " + starts.size() + " instances did not start: "
                    + String.join("; ", failures));
        }
        return apps;
    }

    /** The latest process started under {@code name}. */
    synchronized SampleProcess instance(String name) {
        SampleProcess app = latest.get(name);
        if (app == null) {
            throw new IllegalArgumentException("no instance named " + name + "; started: " + latest.keySet());
        }
        return app;
    }

    /** The latest process of every name, alive or not, in the order first started. */
    synchronized List<SampleProcess> instances() {
        return List.copyOf(latest.values());
    }

    @Override
    public void close() {
        List<SampleProcess> all;
        synchronized (this) {
            all = List.copyOf(started);
        }
        all.forEach(SampleProcess::close);
        starter.shutdownNow();
    }
}
