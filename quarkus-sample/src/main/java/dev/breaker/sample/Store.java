package dev.breaker.sample;

import dev.breaker.cdi.Worker;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The database end of the pipeline. It owns one writer connection from the datasource: opened
 * (and the table created) when the worker starts, closed when it stops, which the Breaker
 * extension does only after {@link Pipeline} has stopped, so every batch the pipeline flushes on
 * shutdown still has somewhere to go. Reads use the pool. The SQL is plain enough for H2 and
 * PostgreSQL alike.
 */
@Worker
public class Store {
    private static final Logger LOG = Logger.getLogger(Store.class);

    static final String CREATE_TABLE = """
            CREATE TABLE IF NOT EXISTS events (
                id          VARCHAR(36)   NOT NULL PRIMARY KEY,
                payload     VARCHAR(%d) NOT NULL,
                transformed VARCHAR(%d) NOT NULL,
                received_at TIMESTAMP     NOT NULL,
                persisted_at TIMESTAMP    NOT NULL
            )""".formatted(EventsResource.MAX_PAYLOAD, EventsResource.MAX_PAYLOAD);

    @Inject
    DataSource dataSource;

    private final Object writeLock = new Object();
    private Connection writer; // guarded by writeLock; null once stopped

    @PostConstruct
    void start() {
        LOG.info("Store starting: opening the writer connection");
        try {
            Connection c = dataSource.getConnection();
            try (Statement st = c.createStatement()) {
                st.execute(CREATE_TABLE);
            }
            c.setAutoCommit(false);
            synchronized (writeLock) {
                writer = c;
            }
            LOG.infof("Store started: %d events already persisted", count());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the event store: " + e.getMessage(), e);
        }
    }

    /** Writes a batch of transformed events in one transaction. */
    public void insert(List<Event> batch) throws SQLException {
        if (batch.isEmpty()) {
            return;
        }
        synchronized (writeLock) {
            if (writer == null) {
                throw new SQLException("the store has stopped; cannot write " + batch.size() + " events");
            }
            Timestamp now = Timestamp.from(Instant.now());
            try (PreparedStatement ps = writer.prepareStatement(
                    "INSERT INTO events (id, payload, transformed, received_at, persisted_at) VALUES (?, ?, ?, ?, ?)")) {
                for (Event e : batch) {
                    ps.setString(1, e.id());
                    ps.setString(2, e.payload());
                    ps.setString(3, e.transformed());
                    ps.setTimestamp(4, Timestamp.from(e.receivedAt()));
                    ps.setTimestamp(5, now);
                    ps.addBatch();
                }
                ps.executeBatch();
                writer.commit();
            } catch (SQLException e) {
                try {
                    writer.rollback();
                } catch (SQLException r) {
                    e.addSuppressed(r);
                }
                throw e;
            }
        }
    }

    public Optional<Event> find(String id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT id, payload, transformed, received_at, persisted_at FROM events WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Event(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getTimestamp(4).toInstant(), rs.getTimestamp(5).toInstant()));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read event " + id + ": " + e.getMessage(), e);
        }
    }

    public long count() {
        try (Connection c = dataSource.getConnection();
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM events")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count events: " + e.getMessage(), e);
        }
    }

    @PreDestroy
    void stop() {
        LOG.info("Store stopping: closing the writer connection");
        synchronized (writeLock) {
            if (writer != null) {
                try {
                    writer.close();
                } catch (SQLException e) {
                    LOG.warnf("Store: closing the writer connection failed: %s", e.getMessage());
                }
                writer = null;
            }
        }
        LOG.info("Store stopped");
    }
}
