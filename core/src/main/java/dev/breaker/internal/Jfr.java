package dev.breaker.internal;

/**
 * Whether the JDK has Flight Recorder ({@code jdk.jfr}): a runtime image made by {@code jlink}
 * may leave it out. Every use of an event class is behind {@link #AVAILABLE}, so that the event
 * classes, which extend {@code jdk.jfr.Event}, are never loaded without it.
 */
public final class Jfr {
    /** True when {@code jdk.jfr.Event} can be loaded. */
    public static final boolean AVAILABLE = available();

    private Jfr() {
    }

    private static boolean available() {
        try {
            Class.forName("jdk.jfr.Event", false, Jfr.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
