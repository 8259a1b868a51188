package dev.breaker.sample;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Readiness of the database, answered at once from a recent result: a probe with a 1 s timeout
 * must see DOWN (503) during an outage, not a timeout, and the check that Quarkus' datasource
 * extension offers waits for a connection (the pool's 2 s acquisition timeout) on every call. A
 * call whose result is older than {@link #FRESH_NANOS} starts one new probe on a thread of its
 * own (never more than one at a time) and answers with the last result; the very first call
 * probes inline (there is no result to answer from yet).
 *
 * <p>Thread-safe: the result is one immutable record in a volatile field; one probe at a time.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {
    static final long FRESH_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private record Result(boolean up, String detail, long at) {
    }

    @Inject
    Store store;

    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile Result last;

    @Override
    public HealthCheckResponse call() {
        Result r = last;
        if (r == null) {
            r = probeNow();
        } else if (System.nanoTime() - r.at > FRESH_NANOS) {
            probeInBackground();
        }
        return HealthCheckResponse.named("database").status(r.up).withData("database", r.detail)
                .withData("checked-ms-ago", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - r.at)).build();
    }

    private Result probeNow() {
        Result r;
        try (Connection c = store.connection()) {
            boolean valid = c.isValid(1);
            r = new Result(valid, valid ? "reachable" : "connection not valid", System.nanoTime());
        } catch (SQLException | RuntimeException e) {
            r = new Result(false, "unreachable: " + e.getMessage(), System.nanoTime());
        }
        last = r;
        return r;
    }

    private void probeInBackground() {
        if (!probing.compareAndSet(false, true)) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                probeNow();
            } finally {
                probing.set(false);
            }
        }, "sample-database-probe");
        t.setDaemon(true);
        t.start();
    }
}
