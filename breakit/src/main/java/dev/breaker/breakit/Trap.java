package dev.breaker.breakit;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.concurrent.LinkedBlockingQueue;

/**
 * The signals {@code breakit run} catches (HUP, INT, TERM, ALRM and the {@code -s} signal, as
 * GNU {@code timeout} does), put in arrival order on one queue that the main thread reads. They
 * replace the JVM's own handlers, so a signal never starts the JVM's shutdown: it is forwarded
 * to the command, or kept until the command has started. Armed first thing in {@code main}.
 *
 * <p>The queue also carries {@link #EXITED}, posted when the command has ended.
 */
final class Trap implements SignalHandler {
    /** Not a signal: the command has ended. */
    static final int EXITED = -1;
    static final LinkedBlockingQueue<Integer> EVENTS = new LinkedBlockingQueue<>();
    private static final Trap INSTANCE = new Trap();

    private Trap() {
    }

    /** Catches HUP, INT, TERM and ALRM. A signal that cannot be caught here is left as it is. */
    static void arm() {
        arm("HUP");
        arm("INT");
        arm("TERM");
        arm("ALRM");
    }

    /**
     * Catches the signal {@code name} too. Returns false if this JVM cannot: the JVM's own
     * signals (QUIT, USR2, SEGV…), KILL and STOP, or one ignored since this JVM started.
     */
    static boolean arm(String name) {
        try {
            SignalHandler old = Signal.handle(new Signal(name), INSTANCE);
            if (old == SignalHandler.SIG_IGN) {
                // the JVM does not take over a HUP, INT or TERM that was ignored when it started
                return false;
            }
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Gives {@code name} its default action again (before breakit raises it on itself). */
    static boolean reset(String name) {
        try {
            Signal.handle(new Signal(name), SignalHandler.SIG_DFL);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public void handle(Signal sig) {
        EVENTS.add(sig.getNumber());
    }
}
