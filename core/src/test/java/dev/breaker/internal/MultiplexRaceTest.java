package dev.breaker.internal;

import dev.breaker.Breaker;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A multiplex whose first child trips on another thread while {@code multiplex(...)} is still
 * linking the others: the call returns a tripped multiplex (never throws), and no registration
 * is left on any child.
 */
class MultiplexRaceTest {

    @Test
    void theFirstChildTrippingWhileTheOthersAreLinkedTripsTheMultiplexAndLeavesNothing() throws Exception {
        int rounds = 20_000;
        int width = 32;
        Breaker[][] children = new Breaker[1][];
        CyclicBarrier start = new CyclicBarrier(2, () -> {
            Breaker[] c = new Breaker[width];
            for (int i = 0; i < width; i++) {
                c[i] = Breaker.manual();
            }
            children[0] = c;
        });
        AtomicReference<Throwable> tripperFailure = new AtomicReference<>();
        Thread tripper = new Thread(() -> {
            try {
                for (int i = 0; i < rounds; i++) {
                    start.await(10, TimeUnit.SECONDS);
                    children[0][0].close();
                }
            } catch (Throwable t) {
                tripperFailure.set(t);
            }
        }, "first-child-tripper");
        tripper.start();
        int trippedDuringBuild = 0;
        try {
            for (int i = 0; i < rounds; i++) {
                start.await(10, TimeUnit.SECONDS);
                Breaker[] c = children[0];
                Breaker m = Breaker.multiplex(c); // must not throw, whatever the other thread does
                if (m.isBroken()) {
                    trippedDuringBuild++;
                }
                m.close();
                assertTrue(m.isBroken());
                for (int k = 1; k < width; k++) {
                    assertEquals(0, ((AbstractBreaker) c[k]).listenerCount(), "round " + i + ", child " + k);
                }
            }
        } finally {
            tripper.join(10_000);
        }
        assertFalse(tripper.isAlive());
        assertNull(tripperFailure.get());
        System.out.println("multiplexes tripped while being built: " + trippedDuringBuild + " of " + rounds);
    }
}
