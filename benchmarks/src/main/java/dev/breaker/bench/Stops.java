package dev.breaker.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The stop work of the graph benchmarks, and the two ways of running it that users have without
 * a dependency graph: one after the other, and Spring's phase by phase.
 */
final class Stops {
    private Stops() {
    }

    /** A stop that takes {@code nanos}: sleeps, never returning early. */
    static void sleep(long nanos) {
        long deadline = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    /** Every stop, one at a time, dependents before their dependencies (reverse start order). */
    static void sequential(GraphShape shape, long[] stopNanos) {
        for (int i = shape.size() - 1; i >= 0; i--) {
            sleep(stopNanos[i]);
        }
    }

    /**
     * Spring's {@code DefaultLifecycleProcessor} in its most favourable form: the beans of one
     * phase stop in parallel (every bean implements the asynchronous
     * {@code SmartLifecycle.stop(Runnable)}), the processor waits on a latch for the slowest of
     * the phase, then starts the next phase. Phases come from {@link GraphShape#stopPhases()}.
     */
    static void phased(GraphShape shape, long[] stopNanos, int[] phases, int phaseCount, ExecutorService pool)
            throws InterruptedException {
        for (int p = 0; p < phaseCount; p++) {
            int members = 0;
            for (int phase : phases) {
                if (phase == p) {
                    members++;
                }
            }
            CountDownLatch latch = new CountDownLatch(members);
            for (int i = 0; i < shape.size(); i++) {
                if (phases[i] == p) {
                    long nanos = stopNanos[i];
                    pool.execute(() -> {
                        try {
                            sleep(nanos);
                        } finally {
                            latch.countDown();
                        }
                    });
                }
            }
            if (!latch.await(1, TimeUnit.MINUTES)) {
                throw new IllegalStateException("phase " + p + " did not stop");
            }
        }
    }

    static ExecutorService pool() {
        return Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "bench-phase-stop");
            t.setDaemon(true);
            return t;
        });
    }
}
