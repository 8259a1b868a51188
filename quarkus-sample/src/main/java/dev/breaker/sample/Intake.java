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
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * requests share one commit). A failed batch is retried row by row (the requests with one
 * idempotency key together), so one row the database refuses fails only its own request; if the
 * database is unreachable every request of the batch fails ({@link Rejected}, 503) and none is
 * acknowledged.
 *
 * <p>Idempotency keys are written in the same transaction as the events: the first request of a
 * key in the batch inserts the key unless it is there already (committed by an earlier batch or
 * another instance; PostgreSQL makes the insert wait for a transaction in flight with the same
 * key), then every key's holder is read back, so repeats in one batch, in two batches and on two
 * instances all end with one stored event and one id ({@link #write}).
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

    /**
     * What a 202 says: the event's id, its state when answered, and whether an earlier request
     * with the same Idempotency-Key had stored it ({@code replayed}: nothing was stored this time).
     */
    public record Receipt(String id, String state, boolean replayed) {
    }

    /** {@code key} and {@code payloadHash} are null for a request without an Idempotency-Key. */
    record Submission(Event event, String key, String payloadHash, CompletableFuture<Receipt> done) {
        /** A new event (a new id) for {@code payload}, with {@code key} or none (null). */
        static Submission of(String payload, String key) {
            return new Submission(Event.pending(UUID.randomUUID().toString(), payload, Instant.now()),
                    key, key == null ? null : IdempotencyKey.payloadHash(payload), new CompletableFuture<>());
        }
    }

    /** How a submission is answered once its transaction has committed: a receipt, or a rejection. */
    record Outcome(Submission submission, Receipt receipt, Rejected rejection) {
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
    private final AtomicLong repeats = new AtomicLong();

    @PostConstruct
    void start() {
        queue = new ArrayBlockingQueue<>(capacity);
        accepting = true;
        LOG.infof("Intake started: accepting events (group commit of up to %d)", batchSize);
    }

    /** {@link #submit(String, String)} without an idempotency key: always a new event. */
    public CompletableFuture<Receipt> submit(String payload) {
        return submit(payload, null);
    }

    /**
     * Queues a new event for the inbox. The future completes with its receipt once it is
     * committed there, or fails with {@link Rejected}. With an {@code idempotencyKey} (checked by
     * the caller, see {@link IdempotencyKey}), the event is stored only if no event holds that key
     * yet, on this instance or any other one on the same database: a repeat with the same payload
     * completes with the first event's receipt, marked {@code replayed}; the same key with another
     * payload fails with {@link Rejected} 422. Never blocks: the gate's read lock is only
     * contended while the gate closes.
     */
    public CompletableFuture<Receipt> submit(String payload, String idempotencyKey) {
        if (!accepting) {
            return CompletableFuture.failedFuture(shuttingDown());
        }
        gate.readLock().lock();
        try {
            if (!accepting) {
                return CompletableFuture.failedFuture(shuttingDown());
            }
            Submission s = Submission.of(payload, idempotencyKey);
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

    static Rejected shuttingDown() {
        return new Rejected(503, "the service is shutting down and no longer accepts events; retry on another instance",
                dev.breaker.quarkus.runtime.HttpGate.RETRY_AFTER_SECONDS);
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

    /**
     * Writes a batch in one transaction; completes each future after the commit. A failed batch is
     * retried in smaller transactions: the requests with one key together, every other one alone.
     */
    private void commit(List<Submission> batch) {
        synchronized (writing) {
            try (Connection c = store.connection()) {
                try {
                    writeAndCommit(c, batch);
                    return;
                } catch (SQLException e) {
                    rollback(c, e);
                    if (Databases.isOutage(c, e)) {
                        throw e;
                    }
                    LOG.warnf("Intake: a batch of %d failed (%s); retrying row by row", batch.size(), e.getMessage());
                }
                for (List<Submission> group : groups(batch)) {
                    commitAlone(c, group);
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

    /** Writes {@code submissions} in one transaction and, once it is committed, answers them. */
    private void writeAndCommit(Connection c, List<Submission> submissions) throws SQLException {
        List<Outcome> outcomes = write(c, submissions);
        c.commit();
        commits.incrementAndGet();
        settle(outcomes);
    }

    /** The requests of a batch by key: those with one key together, every request without a key alone. */
    private static Collection<List<Submission>> groups(List<Submission> batch) {
        Map<Object, List<Submission>> groups = new LinkedHashMap<>();
        for (Submission s : batch) {
            groups.computeIfAbsent(s.key() != null ? s.key() : s.done(), k -> new ArrayList<>()).add(s);
        }
        return groups.values();
    }

    /** One group in a transaction of its own; if the database refuses it, its requests get 400. */
    private void commitAlone(Connection c, List<Submission> group) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                writeAndCommit(c, group);
                return;
            } catch (SQLException e) {
                rollback(c, e);
                if (Databases.isOutage(c, e)) {
                    throw e;
                }
                if (attempt == 1 && isUniqueViolation(e)) {
                    continue; // H2 only: another transaction inserted the key meanwhile (Store.insertKeys); now it is there
                }
                LOG.warnf("Intake: event refused by the database: %s", e.getMessage());
                Rejected refused = new Rejected(400, "the database refuses this payload: " + Store.asciiReason(e.getMessage()), 0);
                group.forEach(s -> s.done().completeExceptionally(refused));
                return;
            }
        }
    }

    /**
     * Writes {@code subs} in {@code c}'s transaction (the caller commits) and returns how each is
     * to be answered after the commit. The first request of each key inserts the key for its
     * event; then every key's holder is read back: a request whose event holds its key is stored,
     * one with the holder's payload is a repeat (nothing stored; the holder's id), any other one
     * is refused with 422. Requests without a key are stored.
     */
    List<Outcome> write(Connection c, List<Submission> subs) throws SQLException {
        Map<String, Submission> firstOfKey = new LinkedHashMap<>();
        for (Submission s : subs) {
            if (s.key() != null) {
                firstOfKey.putIfAbsent(s.key(), s);
            }
        }
        Map<String, Store.KeyHolder> holders = Map.of();
        if (!firstOfKey.isEmpty()) {
            store.insertKeys(c, firstOfKey.values().stream()
                    .map(s -> new Store.NewKey(s.key(), s.event().id(), s.payloadHash(), s.event().receivedAt())).toList());
            holders = store.keyHolders(c, firstOfKey.keySet());
        }
        List<Event> fresh = new ArrayList<>(subs.size());
        for (Submission s : subs) {
            if (s.key() == null || holderOf(holders, s).eventId().equals(s.event().id())) {
                fresh.add(s.event());
            }
        }
        if (!fresh.isEmpty()) {
            store.insertInbox(c, fresh);
        }
        List<Outcome> outcomes = new ArrayList<>(subs.size());
        for (Submission s : subs) {
            Store.KeyHolder holder = s.key() == null ? null : holderOf(holders, s);
            if (holder == null || holder.eventId().equals(s.event().id())) {
                outcomes.add(new Outcome(s, new Receipt(s.event().id(), Event.PENDING, false), null));
            } else if (holder.payloadHash().equals(s.payloadHash())) {
                String state = firstOfKey.get(s.key()).event().id().equals(holder.eventId()) ? Event.PENDING : holder.state();
                outcomes.add(new Outcome(s, new Receipt(holder.eventId(), state, true), null));
            } else {
                outcomes.add(new Outcome(s, null, new Rejected(422, "the " + IdempotencyKey.HEADER
                        + " was used before with a different payload; send a new key for a new event", 0)));
            }
        }
        return outcomes;
    }

    private static Store.KeyHolder holderOf(Map<String, Store.KeyHolder> holders, Submission s) {
        Store.KeyHolder holder = holders.get(s.key());
        if (holder == null) {
            throw new IllegalStateException("the idempotency key just inserted is not there: " + s.key());
        }
        return holder;
    }

    private static boolean isUniqueViolation(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            if ("23505".equals(x.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private void settle(List<Outcome> outcomes) {
        long stored = outcomes.stream().filter(o -> o.receipt() != null && !o.receipt().replayed()).count();
        acknowledged.addAndGet(stored);
        repeats.addAndGet(outcomes.stream().filter(o -> o.receipt() != null && o.receipt().replayed()).count());
        if (stored > 0) {
            pipeline.wake();
        }
        for (Outcome o : outcomes) {
            if (o.rejection() != null) {
                o.submission().done().completeExceptionally(o.rejection());
            } else {
                o.submission().done().complete(o.receipt());
            }
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
        LOG.infof("Intake stopped: %d events acknowledged by this instance in %d commits (%d committed here on stop);"
                + " %d repeated Idempotency-Keys answered with their first event", acknowledged.get(), commits.get(), rest,
                repeats.get());
    }
}
