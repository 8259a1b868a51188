package dev.breaker.internal;

import dev.breaker.Breaker;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 8 threads race register / unregister / trip / close on shared breakers: every action that was
 * not unregistered runs exactly once, none runs twice, and nothing stays registered.
 */
class BreakerContentionTest {
    private static final int THREADS = 8;
    private static final int ROUNDS = 2_000;
    private static final int PER_THREAD = 50; // 8 x 2,000 x 50 = 800,000 registrations

    @Test
    void everyActionRunsExactlyOnceUnderContention() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (int r0 = 0; r0 < ROUNDS; r0++) {
                int round = r0;
                AbstractBreaker breaker = round % 2 == 0 ? Breakers.manual()
                        : (AbstractBreaker) Breaker.byTimeout(Duration.ofNanos(ThreadLocalRandom.current().nextInt(50_000)));
                AtomicIntegerArray runs = new AtomicIntegerArray(THREADS * PER_THREAD);
                boolean[][] removed = new boolean[THREADS][PER_THREAD];
                CyclicBarrier go = new CyclicBarrier(THREADS);
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    done.add(pool.submit(() -> {
                        go.await();
                        ThreadLocalRandom rnd = ThreadLocalRandom.current();
                        for (int i = 0; i < PER_THREAD; i++) {
                            int slot = thread * PER_THREAD + i;
                            Breaker.Registration r = breaker.onBreak(() -> runs.incrementAndGet(slot));
                            if (rnd.nextInt(3) == 0) {
                                r.close();
                                removed[thread][i] = true;
                            }
                            if (thread == round % THREADS && i == PER_THREAD / 2) {
                                breaker.close(); // one thread trips midway while others register
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(30, TimeUnit.SECONDS);
                }
                breaker.close();
                for (int t = 0; t < THREADS; t++) {
                    for (int i = 0; i < PER_THREAD; i++) {
                        int n = runs.get(t * PER_THREAD + i);
                        if (removed[t][i]) {
                            assertTrue(n <= 1, "an action ran " + n + " times");
                        } else {
                            assertEquals(1, n, "round " + round + ": action " + t + "/" + i + " ran " + n + " times");
                        }
                    }
                }
                assertEquals(0, breaker.listenerCount());
            }
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void multiplexRacingItsChildrenLeavesNoRegistration() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            AbstractBreaker longLived = Breakers.manual();
            for (int round = 0; round < 20_000; round++) {
                AbstractBreaker a = Breakers.manual();
                AbstractBreaker b = Breakers.manual();
                CyclicBarrier go = new CyclicBarrier(3);
                Future<?> tripA = pool.submit(() -> {
                    go.await();
                    a.close();
                    return null;
                });
                Future<?> tripB = pool.submit(() -> {
                    go.await();
                    b.close();
                    return null;
                });
                go.await();
                MultiplexBreaker m = (MultiplexBreaker) Breaker.multiplex(a, longLived, b);
                tripA.get(10, TimeUnit.SECONDS);
                tripB.get(10, TimeUnit.SECONDS);
                assertTrue(m.isBroken());
                assertEquals(0, m.registrationCount());
                assertEquals(0, longLived.listenerCount(), "round " + round);
            }
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }
}
