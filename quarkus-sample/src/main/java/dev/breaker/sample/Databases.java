package dev.breaker.sample;

import java.sql.Connection;
import java.sql.SQLException;

/** Telling an unreachable database from a statement the database refuses. */
final class Databases {
    private Databases() {
    }

    /**
     * True if {@code e} means the database (or the connection to it) is gone, so the work must be
     * retried later rather than blamed on its data: SQL state class 08 (connection exception),
     * or a connection that no longer answers.
     */
    static boolean isOutage(Connection c, SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("08")) {
                return true;
            }
        }
        try {
            return c == null || !c.isValid(2);
        } catch (SQLException notValid) {
            return true;
        }
    }
}
