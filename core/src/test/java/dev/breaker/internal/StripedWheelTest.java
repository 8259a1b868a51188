package dev.breaker.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A threaded wheel of four stripes: 8 threads create and close at once, others cancel breakers
 * made by other threads (so on another stripe than their own), and every survivor fires, never
 * early, with the one timer thread.
 */
class StripedWheelTest {

    @Test
    void manyThreadsOnManyStripesLoseNothing() throws Exception {
        TimerWheel wheel = new TimerWheel(System::nanoTime, TimerWheel.SHIFT, TimerWheel.TICK_NANOS, 4, true);
        int threads = 8;
        int perThread = 20_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<List<WheelEntry>> kept = new ArrayList<>();
        try {
            CyclicBarrier go = new CyclicBarrier(threads);
            List<Future<List<WheelEntry>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    go.await();
                    ThreadLocalRandom rnd = ThreadLocalRandom.current();
                    List<WheelEntry> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        WheelEntry e = WheelEntry.after(wheel, TimeUnit.MILLISECONDS.toNanos(1 + rnd.nextInt(300)));
                        if (rnd.nextBoolean()) {
                            e.close();
                        } else {
                            mine.add(e);
                        }
                    }
                    return mine;
                }));
            }
            for (Future<List<WheelEntry>> f : results) {
                kept.add(f.get(60, TimeUnit.SECONDS));
            }
            // cancel a tenth of each thread's survivors from another thread (another stripe)
            int cancelled = 0;
            for (int t = 0; t < threads; t++) {
                List<WheelEntry> other = kept.get((t + 1) % threads);
                for (int i = 0; i < other.size(); i += 10) {
                    if (!other.get(i).isBroken()) {
                        other.get(i).close();
                        cancelled++;
                    }
                }
            }
            assertTrue(cancelled >= 0);
            for (List<WheelEntry> mine : kept) {
                for (WheelEntry e : mine) {
                    assertTrue(e.await(java.time.Duration.ofSeconds(30)), "an entry never fired");
                    long late = System.nanoTime() - e.dueNanos;
                    assertTrue(late >= 0 || e.reason().orElseThrow().kind() == dev.breaker.BreakReason.Kind.CLOSED,
                            "fired " + (-late) + " ns early");
                }
            }
            assertEquals(0, wheel.pendingCount());
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
        Thread t = wheel.thread();
        if (t != null) {
            t.join(15_000); // the wheel is empty: its thread exits after one idle second
        }
        assertTrue(wheel.thread() == null, "the timer thread of an empty wheel did not exit");
    }
}
