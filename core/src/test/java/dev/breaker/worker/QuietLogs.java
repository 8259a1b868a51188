package dev.breaker.worker;

import java.util.logging.Level;
import java.util.logging.Logger;

/** Keeps the graph's INFO lines (one per start and stop) out of the test output. */
final class QuietLogs {
    private static final Logger WORKER = Logger.getLogger("dev.breaker.worker"); // strong reference

    private QuietLogs() {
    }

    static void apply() {
        WORKER.setLevel(Boolean.getBoolean("breaker.test.verbose") ? Level.ALL : Level.OFF);
    }
}
