package dev.breaker.bench;

import java.util.concurrent.ScheduledThreadPoolExecutor;

/** The hand-written alternative: one scheduler thread, cancelled tasks removed at once. */
final class Daemons {
    private Daemons() {
    }

    static ScheduledThreadPoolExecutor scheduler() {
        ScheduledThreadPoolExecutor stpe = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "bench-stpe");
            t.setDaemon(true);
            return t;
        });
        stpe.setRemoveOnCancelPolicy(true);
        return stpe;
    }

    static final Runnable NOOP = () -> { };
}
