package dev.breaker.cdi.internal;

import java.lang.System.Logger.Level;
import java.time.Duration;

/**
 * The readiness delay on Payara (Micro and the GlassFish embedded API). At SIGTERM Payara's own
 * shutdown hook undeploys the applications at once, while the HTTP listener stays open: without
 * help, every request during {@code breaker.shutdown.readiness-delay} is answered {@code 404}
 * (measured in {@code tck-tests/servers}). Payara's stop first sleeps for its shutdown grace,
 * {@value #PROPERTY} milliseconds (Payara Micro's {@code --shutdowngrace}), still serving; so at
 * start the library raises that grace to the readiness delay, when it is shorter. Readiness goes
 * DOWN at SIGTERM (the library's JVM shutdown hook), the application answers during the grace,
 * and the workers stop once it is over.
 *
 * <p>Only where a GlassFish instance root is set ({@value #GLASSFISH}); elsewhere nothing is
 * touched. Thread-safe: the read and the write are made under this class's lock (applications of
 * one server start one by one, but need not).
 */
final class PayaraShutdownGrace {
    /** Read by Payara's {@code GlassFishImpl.stop()} when the stop begins: milliseconds to sleep first. */
    static final String PROPERTY = "fish.payara.shutdowngrace";
    /** Set by every GlassFish and Payara runtime. */
    static final String GLASSFISH = "com.sun.aas.instanceRoot";
    private static final System.Logger LOG = System.getLogger("dev.breaker.cdi");

    private PayaraShutdownGrace() {
    }

    /**
     * Raises Payara's shutdown grace to {@code delay} if this is Payara and the grace is shorter.
     *
     * @return whether it was raised
     */
    static synchronized boolean coverReadinessDelay(Duration delay) {
        if (delay.isZero() || System.getProperty(GLASSFISH) == null) {
            return false;
        }
        long current = 0;
        String set = System.getProperty(PROPERTY);
        if (set != null) {
            try {
                current = Long.parseLong(set.trim());
            } catch (NumberFormatException e) {
                current = 0; // Payara ignores what it cannot parse too
            }
        }
        long wanted = delay.toMillis();
        if (current >= wanted) {
            return false;
        }
        System.setProperty(PROPERTY, String.valueOf(wanted));
        LOG.log(Level.INFO, Messages.payaraGraceRaised(PROPERTY, current, wanted));
        return true;
    }
}
