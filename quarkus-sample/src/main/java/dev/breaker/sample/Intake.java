package dev.breaker.sample;

import dev.breaker.cdi.DependsOn;
import dev.breaker.cdi.Worker;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The front of the pipeline, what the REST layer talks to. It stops first at shutdown: after
 * {@link #stop()} returns, no call of {@link #submit} is still between its check and its
 * {@link Pipeline#offer}, so every event it ever accepted is in the pipeline's queue before the
 * pipeline is asked to drain.
 */
@Worker
@DependsOn(Pipeline.class)
public class Intake {
    private static final Logger LOG = Logger.getLogger(Intake.class);

    /** Why an event was not accepted; the REST layer answers 503 with {@link #retryAfterSeconds}. */
    public static final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;
        private final int retryAfterSeconds;

        Rejected(String message, int retryAfterSeconds) {
            super(message, null, false, false);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public int retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    @Inject
    Pipeline pipeline;

    /** How long a submission waits for room in a full queue before it is refused (back-pressure). */
    @ConfigProperty(name = "sample.intake.enqueue-timeout", defaultValue = "1s")
    Duration enqueueTimeout;

    // submit() holds the read lock from its check to its offer; stop() takes the write lock
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
    private volatile boolean accepting;
    private final AtomicLong accepted = new AtomicLong();

    @PostConstruct
    void start() {
        accepting = true;
        LOG.info("Intake started: accepting events");
    }

    /** Queues a new event and returns it (with its id), or refuses it. */
    public Event submit(String payload) throws Rejected, InterruptedException {
        if (!accepting) {
            throw shuttingDown();
        }
        gate.readLock().lockInterruptibly();
        try {
            if (!accepting) {
                throw shuttingDown();
            }
            Event event = Event.received(UUID.randomUUID().toString(), payload, Instant.now());
            if (!pipeline.offer(event, enqueueTimeout)) {
                throw new Rejected("the pipeline is full (" + pipeline.backlog() + " events queued); retry later", 1);
            }
            accepted.incrementAndGet();
            return event;
        } finally {
            gate.readLock().unlock();
        }
    }

    public boolean accepting() {
        return accepting;
    }

    private static Rejected shuttingDown() {
        return new Rejected("the service is shutting down and no longer accepts events; retry on another instance", 5);
    }

    @PreDestroy
    void stop() {
        LOG.info("Intake stopping: refusing new events");
        gate.writeLock().lock(); // waits for submissions already past the check
        try {
            accepting = false;
        } finally {
            gate.writeLock().unlock();
        }
        LOG.infof("Intake stopped: %d events accepted by this instance", accepted.get());
    }
}
