package dev.breaker.sample;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/** A database for one integration test: the settings the application runs with, and a connection for checks. */
interface TestDatabase {
    /** -D settings for the application process (empty: the shipped defaults). */
    Map<String, String> settings();

    /** A connection for the test's own checks; only while the application is not running for H2. */
    Connection connect() throws SQLException;

    String kind();

    /** Events (in the inbox or moved) with this payload, read on {@code c}. */
    static long eventsWithPayload(Connection c, String payload) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT (SELECT COUNT(*) FROM inbox WHERE payload = ?) + (SELECT COUNT(*) FROM events WHERE payload = ?)")) {
            ps.setString(1, payload);
            ps.setString(2, payload);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The shipped default: H2 in a file under {@code ./data} of the working directory. */
    static TestDatabase h2(Path workDir) {
        return new TestDatabase() {
            @Override
            public Map<String, String> settings() {
                return Map.of();
            }

            @Override
            public Connection connect() throws SQLException {
                return DriverManager.getConnection("jdbc:h2:file:" + workDir.resolve("data/events").toAbsolutePath(), "sa", "");
            }

            @Override
            public String kind() {
                return "H2";
            }
        };
    }
}
