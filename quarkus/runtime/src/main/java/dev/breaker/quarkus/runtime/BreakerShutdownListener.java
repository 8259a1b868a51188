package dev.breaker.quarkus.runtime;

import dev.breaker.cdi.ShutdownSequence;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import io.quarkus.arc.InstanceHandle;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.shutdown.ShutdownListener;

import java.lang.System.Logger.Level;

/**
 * Breaker's part of Quarkus' graceful shutdown, which runs before Quarkus closes its HTTP server:
 * <ul>
 * <li>{@link #preShutdown}: the shutdown is announced (readiness DOWN), and the phase ends once
 * {@code breaker.shutdown.readiness-delay} has passed, with the application serving as before;</li>
 * <li>{@link #shutdown}: the {@link HttpGate} closes (new requests 503) and drains the requests in
 * flight; then the workers stop in reverse order, the HTTP server still answering. It returns when
 * they have stopped, so it is bounded by the drain and {@code breaker.shutdown.timeout}, whatever
 * {@code quarkus.shutdown.timeout} says.</li>
 * </ul>
 * Only in a packaged application ({@link LaunchMode#NORMAL}); in dev and test mode both phases end
 * at once (no delay on every live reload), and the workers stop with the container as on any CDI
 * runtime.
 *
 * <p>Public with a no-argument constructor because Quarkus records an instance of it at build
 * time. Thread-safe: stateless; Quarkus calls it from its stopping thread.
 */
public final class BreakerShutdownListener implements ShutdownListener {
    private static final System.Logger LOG = System.getLogger("dev.breaker.quarkus");

    /** For Quarkus' recorder. */
    public BreakerShutdownListener() {
    }

    @Override
    public void preShutdown(ShutdownNotification notification) {
        ShutdownSequence sequence = LaunchMode.current() == LaunchMode.NORMAL ? bean(ShutdownSequence.class) : null;
        if (sequence == null) {
            notification.done();
            return;
        }
        try {
            ShutdownSteps.step("the readiness delay");
            sequence.announce(ShutdownSteps.reason());
        } catch (Throwable t) {
            LOG.log(Level.ERROR, "BRKR034: the shutdown could not be announced; Quarkus stops the rest: " + t, t);
            notification.done();
            return;
        }
        // not on Quarkus' thread: the other listeners' pre-shutdown runs meanwhile
        Thread delay = new Thread(() -> {
            try {
                sequence.awaitReadinessDelay();
            } catch (Throwable t) {
                LOG.log(Level.ERROR, "BRKR034: the readiness delay ended early: " + t, t);
            } finally {
                notification.done();
            }
        }, "breaker-readiness-delay");
        delay.setDaemon(true);
        delay.start();
    }

    @Override
    public void shutdown(ShutdownNotification notification) {
        try {
            ShutdownSequence sequence = LaunchMode.current() == LaunchMode.NORMAL ? bean(ShutdownSequence.class) : null;
            if (sequence == null) {
                return;
            }
            HttpGate gate = bean(HttpGate.class);
            if (gate != null) {
                ShutdownSteps.step("draining the requests in flight");
                gate.closeAndDrain();
            }
            ShutdownSteps.step("stopping the workers");
            sequence.stopWorkers(ShutdownSteps.reason());
            ShutdownSteps.step("Quarkus' own shutdown");
        } catch (Throwable t) {
            LOG.log(Level.ERROR, "BRKR034: the ordered shutdown failed; Quarkus stops the rest: " + t, t);
        } finally {
            notification.done();
        }
    }

    private static <T> T bean(Class<T> type) {
        ArcContainer container = Arc.container();
        if (container == null || !container.isRunning()) {
            return null;
        }
        InstanceHandle<T> handle = container.instance(type);
        return handle.isAvailable() ? handle.get() : null;
    }
}
