package dev.breaker.sample;

import dev.breaker.cdi.ShutdownSequence;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.enterprise.inject.spi.CDI;
import org.jboss.logging.Logger;
import sun.misc.Signal;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The entry point of {@code quarkus-run.jar}, and the owner of the shutdown sequence.
 *
 * <p>SIGTERM (and SIGINT, Ctrl-C) start, on a thread of their own:
 * <pre>
 *   1. announce             readiness DOWN (the Breaker extension's check), still serving;
 *                           every response says Connection: close (ShutdownGate)
 *   2. readiness delay      breaker.shutdown.readiness-delay: health checks take the instance out
 *   3. gate closed, drained new requests: 503 + Retry-After; requests in flight finish
 *   4. workers stop         Intake (commits what it queued), Pipeline, Store: reverse order, with
 *                           the HTTP server still answering 503
 *   5. Quarkus.asyncExit(0) Quarkus stops: HTTP closes, CDI is destroyed, the process exits 0
 * </pre>
 * Why here and not in Quarkus' own shutdown: Quarkus (3.37) closes its HTTP server before any CDI
 * observer hears of the stop ({@code ShutdownEvent}, {@code @BeforeDestroyed}), so workers stopped
 * there stop behind a closed port, and late requests are refused rather than answered.
 *
 * <p>Also, a JVM stopped by SIGTERM (SIGINT) runs its shutdown hooks but then exits with 143
 * (130) whatever happened, so a clean, complete shutdown looks like a failure to process
 * supervisors and CI; here the process exits 0.
 *
 * <p>A second SIGTERM or SIGINT while the sequence runs does not wait for it: it writes one line
 * saying which step had not finished and halts the process at once with 143 (130), as a process
 * killed by that signal. In dev mode ({@code quarkus:dev}) no handler is installed: Ctrl-C ends
 * dev mode as it does for any Quarkus application (the workers still stop in order, when the
 * container shuts down).
 */
@QuarkusMain
public class Main implements QuarkusApplication {
    private static final Logger LOG = Logger.getLogger(Main.class);
    private static final AtomicBoolean SHUTTING_DOWN = new AtomicBoolean();
    /** The step of the sequence under way, for the line of a second signal. */
    private static volatile String step = "not started";

    public static void main(String... args) {
        Quarkus.run(Main.class, args);
    }

    @Override
    public int run(String... args) {
        if (io.quarkus.runtime.LaunchMode.current() == io.quarkus.runtime.LaunchMode.DEVELOPMENT) {
            // dev mode restarts the application in the same JVM and ends on Ctrl-C by itself: a handler
            // of ours would outlive the restarts and keep the JVM from ending (issue 29)
            Quarkus.waitForExit();
            return 0;
        }
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    if (SHUTTING_DOWN.compareAndSet(false, true)) {
                        Thread sequence = new Thread(() -> shutDownInOrder("SIG" + name), "shutdown-sequence");
                        sequence.start(); // not on the signal thread: the sequence takes seconds
                    } else {
                        int status = name.equals("TERM") ? 143 : 130;
                        System.err.println("SIG" + name + " received again during the shutdown: halting now with status "
                                + status + "; not finished: " + step);
                        System.err.flush();
                        Runtime.getRuntime().halt(status);
                    }
                });
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // -Xrs, or a platform without the signal: keep the JVM's default behaviour
                LOG.warnf("cannot handle SIG%s (%s); it will exit with %d", name, e.getMessage(),
                        name.equals("TERM") ? 143 : 130);
            }
        }
        LOG.info("SIGTERM and SIGINT run the ordered shutdown; a second one during it halts the process");
        Quarkus.waitForExit();
        return 0;
    }

    private static void shutDownInOrder(String signal) {
        LOG.infof("%s received: shutting down gracefully", signal);
        try {
            ShutdownSequence breaker = CDI.current().select(ShutdownSequence.class).get();
            ShutdownGate gate = CDI.current().select(ShutdownGate.class).get();
            step = "the readiness delay";
            breaker.announce(signal);     // readiness DOWN; ShutdownGate asks clients to close their connections
            breaker.awaitReadinessDelay(); // still serving while health checks take the instance out
            step = "draining the requests in flight";
            gate.closeAndDrain();         // new requests: 503 + Retry-After; the ones in flight finish
            step = "stopping the workers (intake, pipeline, store)";
            breaker.stopWorkers(signal);  // Intake, Pipeline, Store, while HTTP still answers 503
            step = "Quarkus' own shutdown";
        } catch (RuntimeException e) {
            LOG.errorf(e, "the shutdown sequence failed; Quarkus stops the rest");
        } finally {
            Quarkus.asyncExit(0);
        }
    }
}
