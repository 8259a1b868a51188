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

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The middle of the pipeline: a bounded queue that {@link Intake} fills, and a routine (run and
 * supervised by the Breaker extension) that takes events off it in batches, transforms them and
 * writes each batch through {@link Store} in one transaction.
 *
 * <p>Stopping drains: once asked to stop (its {@code stop} breaker trips, or {@link #stop()} is
 * called, whichever comes first) the routine stops waiting for new events, empties the queue
 * batch by batch and returns. {@link #stop()} waits for that, then flushes anything still queued
 * itself, so the worker has persisted every queued event before it reports stopped, and
 * {@link Store} is stopped only after that.
 */
@Worker
@DependsOn(Store.class)
public class Pipeline implements Routine {
    private static final Logger LOG = Logger.getLogger(Pipeline.class);

    @Inject
    Store store;

    @ConfigProperty(name = "sample.pipeline.capacity", defaultValue = "10000")
    int capacity;

    @ConfigProperty(name = "sample.pipeline.batch-size", defaultValue = "100")
    int batchSize;

    /** Simulated transformation cost per event, to make a backlog visible; zero by default. */
    @ConfigProperty(name = "sample.pipeline.work-per-event", defaultValue = "0ms")
    Duration workPerEvent;

    /** How long {@link #stop()} waits for the routine to finish draining before flushing itself. */
    @ConfigProperty(name = "sample.pipeline.drain-timeout", defaultValue = "20s")
    Duration drainTimeout;

    private BlockingQueue<Event> queue;
    private final ReentrantLock flushLock = new ReentrantLock();
    private final CountDownLatch routineReturned = new CountDownLatch(1);
    private volatile boolean routineStarted;
    private volatile boolean closing;
    private final AtomicLong persisted = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();

    @PostConstruct
    void start() {
        queue = new ArrayBlockingQueue<>(capacity);
        LOG.infof("Pipeline started: queue capacity %d, batch size %d", capacity, batchSize);
    }

    /**
     * Queues an event, waiting up to {@code wait} for room.
     *
     * @return false if the queue stayed full or the pipeline is stopping
     */
    public boolean offer(Event event, Duration wait) throws InterruptedException {
        if (closing) {
            return false;
        }
        return queue.offer(event, wait.toNanos(), TimeUnit.NANOSECONDS);
    }

    public int backlog() {
        return queue.size();
    }

    public long persisted() {
        return persisted.get();
    }

    @Override
    public void run(Breaker stop) throws Exception {
        routineStarted = true;
        LOG.info("Pipeline routine running");
        boolean interrupted = false;
        try {
            List<Event> batch = new ArrayList<>(batchSize);
            while (!stop.isBroken() && !closing) {
                Event first;
                try {
                    // blocks without polling: the breaker interrupts the take when the worker is
                    // asked to stop, and clears that interrupt again before returning
                    first = stop.call(queue::take);
                } catch (BrokenException stopRequested) {
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // someone else's interrupt: treated as a stop request, re-asserted below
                    break;
                }
                batch.add(first);
                queue.drainTo(batch, batchSize - 1);
                flush(batch);
                batch.clear();
            }
            // drain with the interrupt flag clear: an interrupted JDBC write may fail or close files
            interrupted |= Thread.interrupted();
            int drained = drain();
            LOG.infof("Pipeline routine drained %d queued events on stop (%s)", drained,
                    stop.reason().map(Object::toString).orElse(interrupted ? "interrupted" : "worker stopping"));
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            routineReturned.countDown();
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        closing = true;
        LOG.infof("Pipeline stopping: %d events queued", queue.size());
        if (routineStarted && !routineReturned.await(drainTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warnf("Pipeline: the routine did not finish draining within %s; flushing here", drainTimeout);
        }
        int rest = drain(); // nothing left if the routine drained; everything if it never ran
        LOG.infof("Pipeline flushed %d queued events itself", rest);
        LOG.infof("Pipeline stopped: %d events persisted by this instance, %d lost", persisted.get(), lost.get());
    }

    /** Empties the queue batch by batch; returns how many events it took. */
    private int drain() {
        int total = 0;
        List<Event> batch = new ArrayList<>(batchSize);
        while (queue.drainTo(batch, batchSize) > 0) {
            total += batch.size();
            flush(batch);
            batch.clear();
        }
        return total;
    }

    /** Transforms and writes one batch; retries a failed write a few times. One flush at a time. */
    private void flush(List<Event> batch) {
        flushLock.lock();
        try {
            List<Event> out = new ArrayList<>(batch.size());
            for (Event e : batch) {
                out.add(e.withTransformed(transform(e.payload())));
            }
            for (int attempt = 1; ; attempt++) {
                try {
                    store.insert(out);
                    persisted.addAndGet(out.size());
                    return;
                } catch (SQLException e) {
                    if (attempt == 3) {
                        lost.addAndGet(out.size());
                        LOG.errorf(e, "Pipeline: LOST %d events after %d attempts, first id %s",
                                out.size(), attempt, out.get(0).id());
                        return;
                    }
                    LOG.warnf("Pipeline: writing %d events failed (attempt %d): %s; retrying",
                            out.size(), attempt, e.getMessage());
                    pause(Duration.ofMillis(100L * attempt));
                }
            }
        } finally {
            flushLock.unlock();
        }
    }

    /** The "transform" step: normalise whitespace and upper-case; plus the simulated cost. */
    private String transform(String payload) {
        if (!workPerEvent.isZero()) {
            pause(workPerEvent);
        }
        return payload.strip().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
    }

    /** Simulated work or retry back-off; never used to wait for another thread. */
    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
