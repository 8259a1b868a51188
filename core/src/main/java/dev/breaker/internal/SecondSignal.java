package dev.breaker.internal;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.function.Supplier;

/**
 * A second Ctrl-C ends the process: once a shutdown is under way, {@code SIGINT} and
 * {@code SIGTERM} no longer wait for it. {@link #arm} replaces their handlers (the JVM's, which
 * would only wait for the shutdown hooks already running) with one that writes one line,
 * {@code BRKR019}, naming what had not finished, and halts the JVM at once with the status of a
 * process killed by that signal (130 for INT, 143 for TERM), without running the hooks again.
 * The line goes to standard error, not through {@code System.Logger}: by then the JDK's logging
 * may have closed its handlers in its own shutdown hook, and the line would be lost.
 *
 * <p>Thread-safe: arming is idempotent and holds the class lock; the handler runs on the JVM's
 * signal thread. Never throws where the signal API is missing: it then arms nothing.
 */
public final class SecondSignal {
    private static final System.Logger LOG = System.getLogger("dev.breaker");
    private static Boolean armed; // the first arm()'s result; guarded by the class lock
    private static final String[] SIGNALS = {"INT", "TERM"};

    private SecondSignal() {
    }

    /**
     * From now on, SIGINT or SIGTERM halts the process. Call it when a shutdown begins (a JVM
     * shutdown hook, after the first signal). Idempotent.
     *
     * @param unfinished what the shutdown has not finished yet, for the log line (called once, when
     *                   the signal comes; what it throws is reported instead)
     * @return whether the handlers are installed (false where the JVM handles no signal, {@code -Xrs},
     *         or where {@code sun.misc.Signal} is not visible to this class loader); a later call
     *         returns the first one's answer
     */
    public static synchronized boolean arm(Supplier<String> unfinished) {
        if (armed != null) {
            return armed;
        }
        armed = false;
        boolean any;
        try {
            any = Install.handlers(unfinished);
        } catch (LinkageError e) {
            // sun.misc.Signal is not visible to this class loader (a WildFly deployment, which
            // does not see jdk.unsupported unless it asks): the JVM's behaviour stays
            LOG.log(System.Logger.Level.DEBUG, () -> Messages.noSecondSignal(e));
            return false;
        }
        armed = any;
        if (any) {
            LOG.log(System.Logger.Level.INFO, Messages::secondSignalArmed);
        }
        return any;
    }

    /**
     * Everything that names {@code sun.misc}, apart from {@link SecondSignal}'s own code: where
     * those classes are not visible, loading this class fails inside {@link #arm}'s {@code try},
     * not when the verifier checks {@code SecondSignal} at its caller.
     */
    private static final class Install {
        static boolean handlers(Supplier<String> unfinished) {
            boolean any = false;
            for (String name : SIGNALS) {
                try {
                    Signal.handle(new Signal(name), new Halt(unfinished));
                    any = true;
                } catch (IllegalArgumentException e) {
                    // -Xrs, or no such signal here: the JVM's behaviour stays
                }
            }
            return any;
        }
    }

    /** The BRKR019 line. */
    static String message(String signal, int status, String unfinished) {
        return "BRKR019: SIG" + signal + " received again during the shutdown: halting now with status " + status
                + "; not finished: " + unfinished;
    }

    private static final class Halt implements SignalHandler {
        private final Supplier<String> unfinished;

        Halt(Supplier<String> unfinished) {
            this.unfinished = unfinished;
        }

        @Override
        public void handle(Signal sig) {
            int status = 128 + sig.getNumber();
            try {
                String what;
                try {
                    what = unfinished.get();
                } catch (Throwable t) {
                    what = "(unknown: " + t + ")";
                }
                System.err.println(message(sig.getName(), status, what));
                System.err.flush();
            } catch (Throwable ignored) {
                // halting matters more than the log line
            } finally {
                Runtime.getRuntime().halt(status);
            }
        }
    }
}
