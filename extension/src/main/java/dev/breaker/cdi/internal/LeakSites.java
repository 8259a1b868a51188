package dev.breaker.cdi.internal;

import java.util.Set;

/**
 * Where a breaker that may leak was made, for the {@code BRKR014} warning. Walking the stack costs
 * microseconds, too much for every request, so it is off unless the JVM runs with
 * {@code -Ddev.breaker.leak-sites=true} (read once; a volatile read per breaker). Stateless; thread-safe.
 */
final class LeakSites {
    static final String PROPERTY = "dev.breaker.leak-sites";
    private static volatile boolean enabled = Boolean.getBoolean(PROPERTY);
    /** The library's own frames between the application and the breaker. */
    private static final Set<String> LIBRARY = Set.of(LeakSites.class.getName(), ApplicationShutdown.class.getName(),
            BreakerSource.class.getName(), BreakerProducers.class.getName(), "dev.breaker.cdi.BreakerFactory");

    private LeakSites() {
    }

    /** Turns recording on or off (tests; the property sets the initial value). */
    static void enabled(boolean on) {
        enabled = on;
    }

    /** The first frame outside the library and the container's generated classes, or null when off. */
    static StackTraceElement caller() {
        if (!enabled) {
            return null;
        }
        return StackWalker.getInstance().walk(frames -> frames
                .filter(f -> !LIBRARY.contains(f.getClassName()) && !generated(f.getClassName()))
                .findFirst().map(StackWalker.StackFrame::toStackTraceElement).orElse(null));
    }

    private static boolean generated(String className) {
        return className.contains("$$") || className.endsWith("_ClientProxy") || className.endsWith("_Subclass")
                || className.contains("$Proxy$_$$_");
    }
}
