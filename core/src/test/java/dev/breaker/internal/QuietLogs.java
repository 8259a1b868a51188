package dev.breaker.internal;

import java.util.logging.Level;
import java.util.logging.Logger;

/** Keeps the WARNINGs that tests provoke on purpose out of the test output. */
final class QuietLogs {
    private static final Logger BREAKER = Logger.getLogger("dev.breaker"); // strong reference

    private QuietLogs() {
    }

    static void silence() {
        if (!Boolean.getBoolean("breaker.test.verbose")) {
            BREAKER.setLevel(Level.OFF);
        }
    }

    static void restore() {
        BREAKER.setLevel(null);
    }
}
