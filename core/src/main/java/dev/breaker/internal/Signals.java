package dev.breaker.internal;

import dev.breaker.BreakReason;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One handler per OS signal, shared by every {@link SignalBreaker} listening to it. The handler
 * is installed with the first listener and the previous one restored with the last. On a signal
 * it trips every listener, then calls the previous handler unless that was the OS default or
 * "ignore" (so the JVM's own INT/TERM handler still runs the shutdown hooks).
 *
 * <p>Thread safety: all state is guarded by the class lock; breakers are tripped outside it.
 */
final class Signals {
    private static final Map<String, Hub> HUBS = new HashMap<>();
    /**
     * How long a signal waits for the {@code onBreak} actions of the breakers it tripped before
     * it calls the previous handler (for TERM and INT: the JVM's exit). Without the wait, the exit
     * could begin, or even end, before an action on a callback thread had run; with it, an
     * action that blocks delays the exit by at most this much.
     */
    static final long ACTIONS_BOUND_MILLIS = 2_000;

    private Signals() {
    }

    /** "term", "SIGTERM" and "TERM" all give "TERM". */
    static String normalize(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("signal name must not be null or blank");
        }
        String n = name.trim().toUpperCase(Locale.ROOT);
        return n.startsWith("SIG") ? n.substring(3) : n;
    }

    static synchronized void add(String name, SignalBreaker breaker) {
        Hub hub = HUBS.get(name);
        if (hub == null) {
            try {
                hub = Hub.install(name);
            } catch (LinkageError e) {
                // loading Hub (a sun.misc.SignalHandler) failed: sun.misc is not visible here
                throw new UnsupportedOperationException(noSignals(e), e);
            }
            HUBS.put(name, hub);
        }
        hub.listeners.add(breaker);
    }

    static synchronized void remove(String name, SignalBreaker breaker) {
        Hub hub = HUBS.get(name);
        if (hub != null && hub.listeners.remove(breaker) && hub.listeners.isEmpty()) {
            HUBS.remove(name);
            hub.uninstall();
        }
    }

    /** The BRKR020 message: this class loader cannot reach the JDK's signal API. */
    static String noSignals(LinkageError e) {
        return "BRKR020: OS signals cannot be handled here: sun.misc.Signal (module jdk.unsupported) is not"
                + " visible to the class loader of dev.breaker (" + e + "). On WildFly, add a module dependency"
                + " on jdk.unsupported to the deployment (jboss-deployment-structure.xml or the manifest's"
                + " Dependencies header)";
    }

    /** Breakers listening to {@code name}: a test hook. */
    static synchronized int listeners(String name) {
        Hub hub = HUBS.get(normalize(name));
        return hub == null ? 0 : hub.listeners.size();
    }

    private static final class Hub implements SignalHandler {
        final Signal signal;
        final Set<SignalBreaker> listeners = new LinkedHashSet<>();
        SignalHandler previous;

        private Hub(Signal signal) {
            this.signal = signal;
        }

        static Hub install(String name) {
            Hub hub;
            try {
                hub = new Hub(new Signal(name));
                hub.previous = Signal.handle(hub.signal, hub);
            } catch (IllegalArgumentException e) {
                throw new UnsupportedOperationException(Messages.signalUnsupported(name, e.getMessage()), e);
            } catch (LinkageError e) {
                throw new UnsupportedOperationException(noSignals(e), e);
            }
            return hub;
        }

        void uninstall() {
            try {
                Signal.handle(signal, previous);
            } catch (IllegalArgumentException e) {
                AbstractBreaker.LOG.log(System.Logger.Level.WARNING, () -> Messages.restoreFailed(signal.getName()), e);
            }
        }

        /**
         * Trips every listener, then always calls the handler this one replaced (unless that is
         * the OS default or "ignore"), whatever tripping threw. User actions of the tripped
         * breakers run on {@link Callbacks}, never on the signal thread.
         */
        @Override
        public void handle(Signal sig) {
            SignalHandler chained = null;
            try {
                TripLoop.markInfrastructure(false);
                SignalBreaker[] toTrip;
                synchronized (Signals.class) {
                    toTrip = listeners.toArray(new SignalBreaker[0]);
                    chained = previous;
                }
                BreakReason reason = BreakReason.signal("SIG" + sig.getName());
                for (SignalBreaker b : toTrip) {
                    try {
                        b.trip(reason);
                    } catch (Throwable t) {
                        AbstractBreaker.reportQuietly(t, "tripping on SIG" + sig.getName());
                    }
                }
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(ACTIONS_BOUND_MILLIS);
                for (SignalBreaker b : toTrip) {
                    if (!b.awaitSettled(deadline)) {
                        AbstractBreaker.LOG.log(System.Logger.Level.WARNING,
                                () -> Messages.signalActionsOverran(sig.getName(), ACTIONS_BOUND_MILLIS));
                        break;
                    }
                }
            } catch (Throwable t) {
                AbstractBreaker.reportQuietly(t, "handling SIG" + sig.getName());
            } finally {
                if (chained == null) {
                    synchronized (Signals.class) {
                        chained = previous;
                    }
                }
                if (chained != null && chained != SignalHandler.SIG_DFL && chained != SignalHandler.SIG_IGN) {
                    chained.handle(sig);
                }
            }
        }
    }
}
