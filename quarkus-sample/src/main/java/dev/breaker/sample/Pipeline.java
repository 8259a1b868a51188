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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The middle of the pipeline: a routine (run and supervised by the Breaker extension) that moves
 * events from the inbox to the events table, a batch per transaction: read the oldest pending
 * rows, transform them, insert them into {@code events} and delete them from {@code inbox}, commit
 * ({@link Store#move}). A crash anywhere leaves each event in exactly one of the two tables, and
 * the next start simply carries on, so every event is moved exactly once.
 *
 * <p>If a batch fails while the database is reachable, it is retried row by row: a row that
 * still fails is marked failed in the inbox with its reason (a dead letter) and its batch-mates
 * are moved. If the database is unreachable, nothing is marked and the batch is retried a
 * second later.
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
     * Moves the oldest pending batch; returns how many events it took from the inbox (moved or
     * dead-lettered), 0 if there were none, -1 if the database is unreachable.
     */
    int moveOneBatch() {
        try (Connection c = store.connection()) {
            List<Store.Pending> rows;
            try {
                rows = store.pending(c, batchSize);
                if (rows.isEmpty()) {
                    c.rollback();
                    return 0;
                }
            } catch (SQLException e) {
                rollback(c, e);
                throw e;
            }
            List<String> transformed = new ArrayList<>(rows.size());
            for (Store.Pending row : rows) {
                transformed.add(transform(row.payload()));
            }
            try {
                store.move(c, rows, transformed);
                c.commit();
                moved.addAndGet(rows.size());
                return rows.size();
            } catch (SQLException e) {
                rollback(c, e);
                if (Databases.isOutage(c, e)) {
                    throw e;
                }
                LOG.warnf("Pipeline: a batch of %d failed (%s); retrying row by row", rows.size(), e.getMessage());
            }
            for (int i = 0; i < rows.size(); i++) {
                Store.Pending row = rows.get(i);
                try {
                    store.move(c, List.of(row), List.of(transformed.get(i)));
                    c.commit();
                    moved.incrementAndGet();
                } catch (SQLException e) {
                    rollback(c, e);
                    if (Databases.isOutage(c, e)) {
                        throw e;
                    }
                    store.markFailed(c, row, e.getMessage());
                    c.commit();
                    failed.incrementAndGet();
                    LOG.warnf("Pipeline: event %s failed and stays in the inbox as a dead letter: %s", row.id(),
                            Store.asciiReason(e.getMessage()));
                }
            }
            return rows.size();
        } catch (SQLException e) {
            LOG.warnf("Pipeline: the database is unavailable (%s); the inbox keeps the events, retrying", e.getMessage());
            return -1;
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

    private static void rollback(Connection c, SQLException cause) {
        try {
            c.rollback();
        } catch (SQLException r) {
            cause.addSuppressed(r);
        }
    }

    @PreDestroy
    void stop() {
        LOG.info("Pipeline stopping");
        LOG.infof("Pipeline stopped: %d events moved by this instance, %d dead-lettered", moved.get(), failed.get());
    }
}
