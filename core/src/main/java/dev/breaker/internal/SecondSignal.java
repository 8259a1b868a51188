package dev.breaker.internal;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.concurrent.atomic.AtomicBoolean;
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
 * <p>Thread-safe: arming is idempotent; the handler runs on the JVM's signal thread.
 */
public final class SecondSignal {
    private static final System.Logger LOG = System.getLogger("dev.breaker");
    private static final AtomicBoolean ARMED = new AtomicBoolean();
    private static final String[] SIGNALS = {"INT", "TERM"};

    private SecondSignal() {
    }

    /**
     * From now on, SIGINT or SIGTERM halts the process. Call it when a shutdown begins (a JVM
     * shutdown hook, after the first signal). Idempotent.
     *
     * @param unfinished what the shutdown has not finished yet, for the log line (called once, when
     *                   the signal comes; what it throws is reported instead)
     * @return whether the handlers are installed (false where the JVM handles no signal, {@code -Xrs})
     */
    public static boolean arm(Supplier<String> unfinished) {
        if (!ARMED.compareAndSet(false, true)) {
            return true;
        }
        boolean any = false;
        for (String name : SIGNALS) {
            try {
                Signal.handle(new Signal(name), new Halt(unfinished));
                any = true;
            } catch (IllegalArgumentException | LinkageError e) {
                // -Xrs, or no such signal here: the JVM's behaviour stays
            }
        }
        if (any) {
            LOG.log(System.Logger.Level.INFO, "Breaker: shutdown under way; a second SIGINT or SIGTERM halts the process");
        }
        return any;
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
