package dev.breaker.sample;

import dev.breaker.Breaker;
import dev.breaker.BrokenException;
import dev.breaker.cdi.DependsOn;
import dev.breaker.cdi.Worker;
import dev.breaker.worker.Routine;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The middle of the pipeline: a routine (run and supervised by the Breaker extension) that moves
 * events from the inbox to the events table, a batch per transaction: claim the oldest rows that
 * no other transaction holds ({@link Store#claim}: they stay locked until this transaction ends),
 * transform them, insert them into {@code events} and delete them from {@code inbox}
 * ({@link Store#move}), commit. A crash anywhere leaves each event in exactly one of the two
 * tables, so every event is moved exactly once. Several instances on one PostgreSQL database
 * share the inbox this way: each row goes to one claim at a time, and the claim of an instance
 * that dies ends with its connection, so the others (or the next start) take its rows.
 *
 * <p>If a batch fails while the database is reachable, it is retried row by row in the same
 * transaction (the claim holds): a row that still fails is marked failed in the inbox with its
 * reason (a dead letter) and its batch-mates are moved. If the database is unreachable, nothing
 * is marked and the batch is retried a second later. Other instances' events are found by the
 * same claim: this routine looks at the inbox when its own {@link Intake} commits and at least
 * once a second.
 *
 * <p>Stopping: asked to stop, the routine goes on moving batches for at most
 * {@code sample.pipeline.drain-timeout}, then returns; whatever is still in the inbox stays there,
 * durable, for the next start. {@link Intake} has committed its last batch by then (it stops
 * first), so the count it logs is final.
 */
@Worker
@DependsOn(Store.class)
public class Pipeline implements Routine {
    private static final Logger LOG = Logger.getLogger(Pipeline.class);
    private static final Duration IDLE_RECHECK = Duration.ofSeconds(1);

    @Inject
    Store store;

    @ConfigProperty(name = "sample.pipeline.batch-size", defaultValue = "100")
    int batchSize;

    /** Simulated transformation cost per event, to make a backlog on purpose; zero by default. */
    @ConfigProperty(name = "sample.pipeline.work-per-event", defaultValue = "0ms")
    Duration workPerEvent;

    /** How long the routine goes on moving the backlog once asked to stop (within its stop timeout). */
    @ConfigProperty(name = "sample.pipeline.drain-timeout", defaultValue = "10s")
    Duration drainTimeout;

    /**
     * Fault injection for tests: a payload containing this text is transformed into something the
     * events table cannot hold, as a real poison event would be. Unset by default.
     */
    @ConfigProperty(name = "sample.pipeline.poison-marker")
    Optional<String> poisonMarker;

    private final Semaphore doorbell = new Semaphore(0);
    private final AtomicLong moved = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    @PostConstruct
    void start() {
        LOG.infof("Pipeline started: batch size %d, work per event %s, drain timeout %s", batchSize, workPerEvent, drainTimeout);
    }

    /** Called after each inbox commit: there is work. */
    void wake() {
        if (doorbell.availablePermits() == 0) {
            doorbell.release();
        }
    }

    public long moved() {
        return moved.get();
    }

    @Override
    public void run(Breaker stop) throws Exception {
        LOG.info("Pipeline routine running");
        while (!stop.isBroken()) {
            int n;
            try {
                n = moveOneBatch();
            } catch (RuntimeException e) { // a bug, not the database: the inbox keeps the events
                LOG.errorf(e, "Pipeline: moving a batch failed unexpectedly; retrying");
                n = -1;
            }
            if (n <= 0) {
                try {
                    // no work (or no database): wait for the doorbell; re-check the inbox now and
                    // then anyway (a failed batch, a restart). The breaker interrupts the wait on stop.
                    stop.call(() -> doorbell.tryAcquire(IDLE_RECHECK.toMillis(), TimeUnit.MILLISECONDS));
                    doorbell.drainPermits();
                } catch (BrokenException e) {
                    break;
                }
            }
        }
        Thread.interrupted(); // move with the flag clear: an interrupted JDBC write may fail
        long before = moved.get();
        try (Breaker budget = Breaker.byTimeout(drainTimeout)) {
            while (!budget.isBroken() && moveOneBatch() > 0) {
                // one batch per turn; the budget is checked between batches
            }
            LOG.infof("Pipeline routine moved %d events on stop%s", moved.get() - before,
                    budget.isBroken() ? " before its drain timeout (" + drainTimeout + ")" : "; the inbox is empty");
        }
    }

    /**
     * Moves the oldest batch nobody else has claimed; returns how many events it took from the
     * inbox (moved or dead-lettered), 0 if there were none, -1 if the database is unreachable.
     * One transaction from the claim to the commit: the claim's row locks keep every other
     * pipeline off these rows until then. A failed batch is retried row by row within the same
     * transaction (back to a savepoint, so the claim holds).
     */
    int moveOneBatch() {
        try (Connection c = store.connection()) {
            boolean committed = false;
            try {
                List<Store.Pending> rows = store.claim(c, batchSize);
                if (rows.isEmpty()) {
                    return 0;
                }
                List<String> transformed = new ArrayList<>(rows.size());
                for (Store.Pending row : rows) {
                    transformed.add(transform(row.payload()));
                }
                Savepoint claimed = c.setSavepoint();
                try {
                    store.move(c, rows, transformed);
                    c.commit();
                    committed = true;
                    moved.addAndGet(rows.size());
                    return rows.size();
                } catch (SQLException e) {
                    backTo(c, claimed, e);
                    LOG.warnf("Pipeline: a batch of %d failed (%s); retrying row by row", rows.size(), e.getMessage());
                }
                List<String> deadLetters = new ArrayList<>();
                for (int i = 0; i < rows.size(); i++) {
                    Store.Pending row = rows.get(i);
                    Savepoint before = c.setSavepoint();
                    try {
                        store.move(c, List.of(row), List.of(transformed.get(i)));
                    } catch (SQLException e) {
                        backTo(c, before, e);
                        store.markFailed(c, row, e.getMessage());
                        deadLetters.add("event " + row.id() + " failed and stays in the inbox as a dead letter: "
                                + Store.asciiReason(e.getMessage()));
                    }
                }
                c.commit();
                committed = true;
                moved.addAndGet(rows.size() - deadLetters.size());
                failed.addAndGet(deadLetters.size());
                deadLetters.forEach(d -> LOG.warnf("Pipeline: %s", d));
                return rows.size();
            } finally {
                if (!committed) {
                    rollbackQuietly(c); // the claim ends; another pipeline may take the rows
                }
            }
        } catch (SQLException e) {
            LOG.warnf("Pipeline: the database is unavailable (%s); the inbox keeps the events, retrying", e.getMessage());
            return -1;
        }
    }

    /**
     * After a failed statement: back to {@code savepoint} (the claim holds), or rethrows
     * {@code failure} if the database is unreachable (the caller's rollback ends the claim).
     */
    private static void backTo(Connection c, Savepoint savepoint, SQLException failure) throws SQLException {
        if (Databases.isOutage(c, failure)) {
            throw failure;
        }
        try {
            c.rollback(savepoint);
        } catch (SQLException r) {
            failure.addSuppressed(r);
            throw failure;
        }
    }

    /** A failure is on its way already; closing the connection ends the transaction in any case. */
    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            LOG.debugf("Pipeline: rollback failed (%s)", e.getMessage());
        }
    }

    /** The transformation plus the simulated cost (and the injected fault, if configured). */
    private String transform(String payload) {
        if (!workPerEvent.isZero()) {
            pause(workPerEvent);
        }
        if (poisonMarker.isPresent() && payload.contains(poisonMarker.get())) {
            return "X".repeat(Payloads.MAX_PAYLOAD + 1);
        }
        return Transform.apply(payload);
    }

    /** Simulated work; never used to wait for another thread. */
    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @PreDestroy
    void stop() {
        LOG.info("Pipeline stopping");
        LOG.infof("Pipeline stopped: %d events moved by this instance, %d dead-lettered", moved.get(), failed.get());
    }
}
