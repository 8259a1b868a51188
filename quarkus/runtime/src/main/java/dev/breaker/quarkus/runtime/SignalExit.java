package dev.breaker.quarkus.runtime;

import dev.breaker.cdi.ShutdownSequence;
import io.quarkus.arc.Arc;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * SIGTERM and SIGINT in a packaged application: the first one begins Quarkus' own stop with exit
 * status 0 ({@code Quarkus.asyncExit(0)}), whose graceful shutdown runs Breaker's ordered sequence
 * ({@link BreakerShutdownListener}); a second one during it halts the process at once with the
 * status of a process killed by that signal (143, 130), after one line, {@code BRKR019}, naming
 * the step that had not finished.
 *
 * <p>Without it, the JVM would run Quarkus' stop from its shutdown hook and exit 143 (130)
 * whatever happened, so a clean, complete shutdown would look like a failure to supervisors and
 * CI, and a hung stop could only be ended by SIGKILL.
 *
 * <p>Installed at start only in a packaged application ({@link LaunchMode#NORMAL}): dev mode
 * restarts the application in one JVM and ends on Ctrl-C by itself, and tests run in the build's
 * JVM. An application that installs its own handlers later (its {@code @QuarkusMain}) replaces
 * these. The previous handlers come back when the application stops by other means. Where the
 * JVM handles no signals ({@code -Xrs}) the JVM's behaviour stays, with one line saying so.
 *
 * <p>Thread-safe: the handlers run on the JVM's signal thread; the first signal is decided by a
 * compare-and-set.
 */
@Singleton
public class SignalExit {
    private static final System.Logger LOG = System.getLogger("dev.breaker.quarkus");
    private static final String[] SIGNALS = {"TERM", "INT"};

    private final AtomicBoolean signalled = new AtomicBoolean();
    private final List<Runnable> undo = new ArrayList<>();

    /** The container makes the one instance. */
    public SignalExit() {
    }

    void install(@Observes StartupEvent event) {
        if (LaunchMode.current() != LaunchMode.NORMAL) {
            return;
        }
        try {
            Handlers.install(this);
        } catch (LinkageError e) {
            LOG.log(Level.WARNING, "BRKR037: sun.misc.Signal is not available (" + e
                    + "); SIGTERM exits 143 and a second one does not halt");
        }
    }

    /** The application stops by other means (Quarkus.asyncExit from its code): the JVM's handlers come back. */
    void uninstall(@Observes ShutdownEvent event) {
        if (!signalled.get()) {
            synchronized (undo) {
                undo.forEach(Runnable::run);
                undo.clear();
            }
        }
    }

    /** A signal came: the first begins the stop; any later one halts. Never throws. */
    void received(String name, int number) {
        if (signalled.compareAndSet(false, true)) {
            ShutdownSteps.signal("SIG" + name);
            ShutdownSteps.step("the readiness delay"); // it begins now: the announcement below, then the wait
            LOG.log(Level.INFO, "BRKR033: SIG{0} received: stopping in order (readiness DOWN, delay, drain,"
                    + " workers in reverse order); a second SIGTERM or SIGINT halts the process", name);
            try {
                // readiness DOWN now, not once Quarkus' stop reaches the shutdown listener
                Arc.container().instance(ShutdownSequence.class).get().announce("SIG" + name);
            } catch (Throwable t) {
                LOG.log(Level.ERROR, "BRKR034: the shutdown could not be announced at SIG" + name + ": " + t, t);
            }
            Thread exit = new Thread(() -> Quarkus.asyncExit(0), "breaker-signal-exit");
            exit.setDaemon(true);
            exit.start(); // not on the JVM's signal thread
            return;
        }
        int status = 128 + number;
        try {
            System.err.println("BRKR019: SIG" + name + " received again during the shutdown: halting now with status "
                    + status + "; not finished: " + ShutdownSteps.step());
            System.err.flush();
        } catch (Throwable ignored) {
            // halting matters more than the line
        } finally {
            Runtime.getRuntime().halt(status);
        }
    }

    /** Everything that names {@code sun.misc}: where it is missing, loading this fails inside install's try. */
    private static final class Handlers {
        static void install(SignalExit target) {
            List<String> installed = new ArrayList<>();
            for (String name : SIGNALS) {
                try {
                    sun.misc.Signal signal = new sun.misc.Signal(name);
                    sun.misc.SignalHandler previous = sun.misc.Signal.handle(signal,
                            s -> target.received(s.getName(), s.getNumber()));
                    synchronized (target.undo) {
                        target.undo.add(() -> sun.misc.Signal.handle(signal, previous));
                    }
                    installed.add("SIG" + name);
                } catch (IllegalArgumentException | UnsupportedOperationException e) {
                    LOG.log(Level.WARNING, "BRKR037: cannot handle SIG" + name + " (" + e.getMessage()
                            + "); it exits with " + (name.equals("TERM") ? 143 : 130));
                }
            }
            if (!installed.isEmpty()) {
                LOG.log(Level.INFO, "BRKR032: {0} begin the ordered shutdown (readiness DOWN, delay, drain, workers)"
                        + " and exit 0; a second one during it halts the process", String.join(" and ", installed));
            }
        }
    }
}
