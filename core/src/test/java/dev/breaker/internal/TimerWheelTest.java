package dev.breaker.internal;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The wheel's levels: entries beyond the current 4.096 s slot wait in level 1 or overflow. */
class TimerWheelTest {

    @Test
    void entriesMovedDownFromLevelOneFireOnTimeNeverEarly() throws Exception {
        long[] millis = {4_200, 4_600, 5_000, 8_300}; // beyond the current slot: level 1 first
        AtomicLongArray lateness = new AtomicLongArray(millis.length);
        CountDownLatch fired = new CountDownLatch(millis.length);
        List<Breaker> breakers = new ArrayList<>();
        for (int i = 0; i < millis.length; i++) {
            int k = i;
            long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis[i]);
            Breaker b = Breaker.byTimeout(Duration.ofMillis(millis[i]));
            b.onBreak(() -> {
                lateness.set(k, System.nanoTime() - due);
                fired.countDown();
            });
            breakers.add(b);
        }
        assertTrue(fired.await(30, TimeUnit.SECONDS));
        for (int i = 0; i < millis.length; i++) {
            long lateMs = TimeUnit.NANOSECONDS.toMillis(lateness.get(i));
            assertTrue(lateness.get(i) >= 0, "fired early: " + millis[i] + " ms breaker");
            assertTrue(lateMs < 1_000, "fired " + lateMs + " ms late: " + millis[i] + " ms breaker");
            assertEquals(BreakReason.Kind.TIMEOUT, breakers.get(i).reason().orElseThrow().kind());
        }
    }

    @Test
    void entriesOnEveryLevelAreUnlinkedWhenClosedInAnyOrder() {
        Random random = new Random(7);
        List<Breaker> breakers = new ArrayList<>();
        int before = TimerWheel.pending();
        for (int i = 0; i < 200_000; i++) {
            Duration d = switch (i % 4) {
                case 0 -> Duration.ofMillis(1 + random.nextInt(4_000));          // level 0 (mostly)
                case 1 -> Duration.ofSeconds(5 + random.nextInt(3_600));         // level 1
                case 2 -> Duration.ofHours(5 + random.nextInt(10_000));          // overflow
                default -> Duration.ofMillis(random.nextInt(20_000_000));        // anywhere
            };
            breakers.add(Breaker.byTimeout(d));
        }
        Collections.shuffle(breakers, random);
        for (Breaker b : breakers) {
            b.close();
        }
        assertEquals(before, TimerWheel.pending());
    }
}
