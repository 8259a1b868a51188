package dev.breaker.sample;

import dev.breaker.Breaker;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The front of the pipeline, what the REST layer talks to: it makes an event durable before it is
 * acknowledged. {@link #submit} queues the event with a future; the routine (one thread) takes
 * whatever is queued, up to {@code sample.intake.batch-size}, inserts it into the inbox in one
 * transaction and completes every future only after the commit (group commit: concurrent
 * requests share one commit). A failed batch is retried row by row, so one row the database
 * refuses fails only its own request; if the database is unreachable every request of the batch
 * fails ({@link Rejected}, 503) and none is acknowledged.
 *
 * <p>It stops first at shutdown. Its routine, asked to stop, closes the gate (after that no
 * {@link #submit} is between its check and its enqueue) and commits everything queued before it
 * returns, so every request that was accepted into the queue gets its answer.
 */
@Worker
@DependsOn(Pipeline.class)
public class Intake implements Routine {
    private static final Logger LOG = Logger.getLogger(Intake.class);

    /** Why an event was not acknowledged; the REST layer answers {@link #status} with Retry-After. */
    public static final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final int retryAfterSeconds;

        Rejected(int status, String message, int retryAfterSeconds) {
            super(message, null, false, false);
            this.status = status;
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public int status() {
            return status;
        }

        public int retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    private record Submission(Event event, CompletableFuture<Event> done) {
    }

    @Inject
    Store store;

    @Inject
    Pipeline pipeline;

    /** Submissions waiting for their commit; a full queue answers 503 at once (back-pressure). */
    @ConfigProperty(name = "sample.intake.capacity", defaultValue = "10000")
    int capacity;

    /** The most events one commit takes. */
    @ConfigProperty(name = "sample.intake.batch-size", defaultValue = "500")
    int batchSize;

    // submit() holds the read lock from its check to its enqueue; closing takes the write lock
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
    private volatile boolean accepting;
    private BlockingQueue<Submission> queue;
    private final Object writing = new Object(); // one commit at a time: the routine's or stop()'s
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong commits = new AtomicLong();

    @PostConstruct
    void start() {
        queue = new ArrayBlockingQueue<>(capacity);
        accepting = true;
        LOG.infof("Intake started: accepting events (group commit of up to %d)", batchSize);
    }

    /**
     * Queues a new event for the inbox. The future completes with the event once it is committed
     * there, or fails with {@link Rejected}. Never blocks: the gate's read lock is only contended
     * while the gate closes.
     */
    public CompletableFuture<Event> submit(String payload) {
        if (!accepting) {
            return CompletableFuture.failedFuture(shuttingDown());
        }
        gate.readLock().lock();
        try {
            if (!accepting) {
                return CompletableFuture.failedFuture(shuttingDown());
            }
            Submission s = new Submission(Event.pending(UUID.randomUUID().toString(), payload, Instant.now()),
                    new CompletableFuture<>());
            if (!queue.offer(s)) {
                return CompletableFuture.failedFuture(new Rejected(503,
                        "the intake is full (" + queue.size() + " events waiting for their commit); retry later", 1));
            }
            return s.done();
        } finally {
            gate.readLock().unlock();
        }
    }

    public boolean accepting() {
        return accepting;
    }

    private static Rejected shuttingDown() {
        return new Rejected(503, "the service is shutting down and no longer accepts events; retry on another instance", 5);
    }

    @Override
    public void run(Breaker stop) {
        LOG.info("Intake routine running");
        List<Submission> batch = new ArrayList<>(batchSize);
        while (!stop.isBroken()) {
            try {
                batch.add(stop.call(queue::take)); // the breaker interrupts the take on stop
            } catch (Exception stopRequested) { // BrokenException, or an interrupt: a stop either way
                break;
            }
            queue.drainTo(batch, batchSize - 1);
            commit(batch);
            batch.clear();
        }
        Thread.interrupted(); // commit with the flag clear: an interrupted JDBC write may fail
        closeGate();
        int flushed = flushQueue();
        LOG.infof("Intake routine committed %d queued events on stop", flushed);
    }

    private void closeGate() {
        gate.writeLock().lock(); // waits for submissions already past the check
        try {
            accepting = false;
        } finally {
            gate.writeLock().unlock();
        }
    }

    private int flushQueue() {
        int total = 0;
        List<Submission> batch = new ArrayList<>(batchSize);
        while (queue.drainTo(batch, batchSize) > 0) {
            total += batch.size();
            commit(batch);
            batch.clear();
        }
        return total;
    }

    /** Inserts a batch into the inbox in one transaction; completes each future after the commit. */
    private void commit(List<Submission> batch) {
        synchronized (writing) {
            List<Event> events = batch.stream().map(Submission::event).toList();
            try (Connection c = store.connection()) {
                try {
                    store.insertInbox(c, events);
                    c.commit();
                    commits.incrementAndGet();
                    acknowledge(batch);
                    return;
                } catch (SQLException e) {
                    rollback(c, e);
                    if (Databases.isOutage(c, e)) {
                        throw e;
                    }
                    LOG.warnf("Intake: a batch of %d failed (%s); retrying row by row", batch.size(), e.getMessage());
                }
                for (Submission s : batch) {
                    try {
                        store.insertInbox(c, List.of(s.event()));
                        c.commit();
                        acknowledge(List.of(s));
                    } catch (SQLException e) {
                        rollback(c, e);
                        if (Databases.isOutage(c, e)) {
                            throw e;
                        }
                        LOG.warnf("Intake: event refused by the database: %s", e.getMessage());
                        s.done().completeExceptionally(new Rejected(400,
                                "the database refuses this payload: " + Store.asciiReason(e.getMessage()), 0));
                    }
                }
            } catch (SQLException e) {
                LOG.warnf("Intake: cannot commit to the inbox (%s); answering 503 to %d requests", e.getMessage(),
                        batch.stream().filter(s -> !s.done().isDone()).count());
                for (Submission s : batch) {
                    s.done().completeExceptionally(new Rejected(503,
                            "the database is unavailable; the event was not stored; retry later", 2));
                }
            } catch (RuntimeException e) {
                // a bug, not the database: fail this batch's requests, keep the routine alive
                LOG.errorf(e, "Intake: committing a batch of %d failed unexpectedly", batch.size());
                for (Submission s : batch) {
                    s.done().completeExceptionally(e);
                }
            }
        }
    }

    private void acknowledge(List<Submission> committed) {
        acknowledged.addAndGet(committed.size());
        pipeline.wake();
        for (Submission s : committed) {
            s.done().complete(s.event());
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
        LOG.info("Intake stopping: refusing new events");
        closeGate();
        int rest = flushQueue(); // nothing if the routine flushed; everything if it never ran
        LOG.infof("Intake stopped: %d events acknowledged by this instance in %d commits (%d committed here on stop)",
                acknowledged.get(), commits.get(), rest);
    }
}
