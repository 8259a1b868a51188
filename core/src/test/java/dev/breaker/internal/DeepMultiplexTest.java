package dev.breaker.internal;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 10, item 2: tripping is iterative, so depth costs no stack. */
class DeepMultiplexTest {
    private static final int DEPTH = 100_000;

    @Test
    void aHundredThousandLevelsTripCompletelyFromClose() {
        Breaker base = Breaker.manual();
        Breaker[] chain = chain(base);
        base.close();
        assertTripped(chain);
        Breaker top = chain[DEPTH - 1];
        BreakReason r = top.reason().orElseThrow();
        assertEquals(BreakReason.Kind.CHILD, r.kind());
        assertEquals(BreakReason.Kind.CLOSED, r.root().kind());
        assertEquals(0, ((AbstractBreaker) base).listenerCount());
    }

    @Test
    void aHundredThousandLevelsTripCompletelyFromTheTimer() throws Exception {
        Breaker base = Breaker.byTimeout(Duration.ofMillis(50));
        Breaker[] chain = chain(base);
        Breaker top = chain[DEPTH - 1];
        assertTrue(top.await(Duration.ofSeconds(30)), "the top of the chain never tripped");
        assertTripped(chain);
        assertEquals(BreakReason.Kind.TIMEOUT, top.reason().orElseThrow().root().kind());
        // the timer survived: a later timeout still fires
        try (Breaker later = Breaker.byTimeout(Duration.ofMillis(10))) {
            assertTrue(later.await(Duration.ofSeconds(10)));
        }
    }

    @Test
    void actionsAlongADeepChainRunOnceEachAndAClosingActionDoesNotRecurse() {
        Breaker base = Breaker.manual();
        Breaker[] chain = chain(base);
        int[] runs = new int[1];
        for (int i = 0; i < DEPTH; i += 1_000) {
            chain[i].onBreak(() -> runs[0]++);
        }
        // a user action that closes another deep chain: still no recursion
        Breaker otherBase = Breaker.manual();
        Breaker[] other = chain(otherBase);
        base.onBreak(otherBase::close);
        base.close();
        assertEquals(DEPTH / 1_000, runs[0]);
        assertTripped(chain);
        assertTripped(other);
    }

    private static Breaker[] chain(Breaker base) {
        Breaker[] chain = new Breaker[DEPTH];
        Breaker previous = base;
        for (int i = 0; i < DEPTH; i++) {
            previous = chain[i] = Breaker.multiplex(previous);
        }
        return chain;
    }

    private static void assertTripped(Breaker[] chain) {
        for (int i = 0; i < chain.length; i++) {
            if (!chain[i].isBroken()) {
                throw new AssertionError("level " + i + " of " + chain.length + " is still live");
            }
        }
    }
}
