package dev.breaker.worker.internal;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;
import dev.breaker.internal.ManualBreaker;

/**
 * Trips a breaker the graph owns with a {@link BreakReason.Kind#SHUTDOWN} reason, so that code
 * watching it can tell "the graph is shutting down" from "someone closed it".
 */
final class Trip {
    private Trip() {
    }

    static void shutdown(Breaker b, String whose) {
        if (b instanceof ManualBreaker) {
            ((ManualBreaker) b).tripAs(BreakReason.shutdown(whose));
        } else {
            b.close();
        }
    }
}
