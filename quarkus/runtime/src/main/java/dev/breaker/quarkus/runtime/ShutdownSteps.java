package dev.breaker.quarkus.runtime;

/**
 * Where the extension's shutdown sequence is, for the line a second signal writes, and which
 * signal began it. One per class loader (one application per Quarkus process).
 *
 * <p>Thread-safe: volatile fields, each written by one sequence at a time.
 */
final class ShutdownSteps {
    private static volatile String step = "not started";
    private static volatile String signal;

    private ShutdownSteps() {
    }

    static void step(String now) {
        step = now;
    }

    static String step() {
        return step;
    }

    static void signal(String name) {
        signal = name;
    }

    /** The signal that began the shutdown ({@code "SIGTERM"}), or what Quarkus' stop is called otherwise. */
    static String reason() {
        String s = signal;
        return s != null ? s : "Quarkus is shutting down";
    }
}
