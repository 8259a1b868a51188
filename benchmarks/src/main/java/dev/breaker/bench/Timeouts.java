package dev.breaker.bench;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Pre-generated timeouts, as Caffeine's {@code TimerWheelBenchmark} pre-generates times: a
 * benchmark reads {@code nanos[index++ & MASK]} so that no random number and no {@link Duration}
 * is made inside the measured operation, and successive entries land in different wheel buckets
 * and heap positions instead of always the same one.
 *
 * <p>Every timeout lies between 10 and 20 minutes: far beyond any measurement iteration, so no
 * entry ever fires while it is measured ("the per-request timeout that never fires").
 */
final class Timeouts {
    static final int SIZE = 1 << 14;
    static final int MASK = SIZE - 1;
    static final long MIN_NANOS = TimeUnit.MINUTES.toNanos(10);
    static final long SPREAD_NANOS = TimeUnit.MINUTES.toNanos(10);

    final long[] nanos = new long[SIZE];
    final Duration[] durations = new Duration[SIZE];

    Timeouts(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < SIZE; i++) {
            nanos[i] = MIN_NANOS + random.nextLong(SPREAD_NANOS);
            durations[i] = Duration.ofNanos(nanos[i]);
        }
    }

    /** Whether the smoke test (surefire) runs us: small sizes, no long setups. */
    static boolean smoke() {
        return Boolean.getBoolean("breaker.bench.smoke");
    }
}
