package dev.breaker.bench;

import dev.breaker.Breaker;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The three ways to arm a timeout that the plain-main measurements ({@link RetainedHeap},
 * {@link Lateness}) compare; the JMH benchmarks spell them out inline.
 */
enum Mechanism {
    BREAKER {
        @Override
        Object arm(long nanos, Duration duration, Runnable onFire) {
            Breaker b = Breaker.byTimeout(duration);
            if (onFire != null) {
                b.onBreak(onFire);
            }
            return b;
        }

        @Override
        void disarm(Object handle) {
            ((Breaker) handle).close();
        }
    },
    COMPLETABLE_FUTURE {
        @Override
        Object arm(long nanos, Duration duration, Runnable onFire) {
            CompletableFuture<Object> f = new CompletableFuture<>();
            f.orTimeout(nanos, TimeUnit.NANOSECONDS);
            if (onFire != null) {
                f.whenComplete((v, e) -> onFire.run());
            }
            return f;
        }

        @Override
        void disarm(Object handle) {
            ((CompletableFuture<?>) handle).complete(null);
        }
    },
    SCHEDULED_EXECUTOR {
        @Override
        Object arm(long nanos, Duration duration, Runnable onFire) {
            return SCHEDULER.schedule(onFire == null ? Daemons.NOOP : onFire, nanos, TimeUnit.NANOSECONDS);
        }

        @Override
        void disarm(Object handle) {
            ((ScheduledFuture<?>) handle).cancel(false);
        }
    };

    static final ScheduledThreadPoolExecutor SCHEDULER = Daemons.scheduler();

    /**
     * Arms a timeout of {@code nanos} ({@code duration}, the same value pre-made, so that no
     * {@code Duration} is allocated per entry) that runs {@code onFire} (if not null) when it fires.
     */
    abstract Object arm(long nanos, Duration duration, Runnable onFire);

    /** Cancels it (the work finished first). */
    abstract void disarm(Object handle);
}
