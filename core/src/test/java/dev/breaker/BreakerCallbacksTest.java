package dev.breaker;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BreakerCallbacksTest {

    @Test
    void actionRunsOnceWhenTripped() {
        Breaker b = Breaker.manual();
        AtomicInteger runs = new AtomicInteger();
        b.onBreak(runs::incrementAndGet);
        b.close();
        b.close();
        assertEquals(1, runs.get());
    }

    @Test
    void closedRegistrationDoesNotRunAndClosingTwiceIsHarmless() {
        Breaker b = Breaker.manual();
        AtomicInteger runs = new AtomicInteger();
        Breaker.Registration r = b.onBreak(runs::incrementAndGet);
        r.close();
        r.close();
        b.close();
        assertEquals(0, runs.get());
    }

    @Test
    void actionRegisteredAfterTheTripRunsAtOnceOnTheCaller() {
        Breaker b = Breaker.manual();
        b.close();
        List<Thread> ranOn = new ArrayList<>();
        b.onBreak(() -> ranOn.add(Thread.currentThread()));
        assertEquals(List.of(Thread.currentThread()), ranOn);
    }

    @Test
    void aThrowingActionDoesNotStopTheOthers() {
        Breaker b = Breaker.manual();
        AtomicInteger runs = new AtomicInteger();
        b.onBreak(runs::incrementAndGet);
        b.onBreak(() -> {
            throw new IllegalStateException("expected by the test");
        });
        b.onBreak(runs::incrementAndGet);
        b.close();
        assertEquals(2, runs.get());
        b.onBreak(() -> {
            throw new IllegalStateException("expected by the test, late");
        });
    }

    @Test
    void doneCompletesWithTheReasonAndCannotBeCompletedByCallers() throws Exception {
        Breaker b = Breaker.manual();
        CompletionStage<BreakReason> done = b.done();
        CompletableFuture<BreakReason> copy = done.toCompletableFuture();
        copy.complete(BreakReason.shutdown("an impostor"));
        if (done instanceof CompletableFuture) {
            CompletableFuture<BreakReason> cf = (CompletableFuture<BreakReason>) done;
            assertThrows(UnsupportedOperationException.class, () -> cf.complete(BreakReason.CLOSED));
            assertThrows(UnsupportedOperationException.class, () -> cf.cancel(true));
        }
        assertFalse(b.isBroken());
        assertFalse(b.done().toCompletableFuture().isDone());
        b.close();
        assertEquals(BreakReason.CLOSED, b.done().toCompletableFuture().get(5, TimeUnit.SECONDS));
    }

    @Test
    void awaitWithTimeoutReportsWhetherItTripped() throws Exception {
        Breaker b = Breaker.manual();
        assertFalse(b.await(Duration.ofMillis(20)));
        b.close();
        assertTrue(b.await(Duration.ZERO));
    }

    @Test
    void awaitIsWokenByATripOnAnotherThread() throws Exception {
        Breaker b = Breaker.manual();
        CountDownLatch waiting = new CountDownLatch(1);
        CompletableFuture<Boolean> result = CompletableFuture.supplyAsync(() -> {
            waiting.countDown();
            try {
                b.await();
                return true;
            } catch (InterruptedException e) {
                return false;
            }
        });
        assertTrue(waiting.await(5, TimeUnit.SECONDS));
        b.close();
        assertTrue(result.get(5, TimeUnit.SECONDS));
    }

    @Test
    void awaitIsInterruptibleAndLeavesNoRegistration() throws Exception {
        Breaker b = Breaker.manual();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, b::await);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> b.await(Duration.ofSeconds(5)));
        assertFalse(Thread.currentThread().isInterrupted());
        assertEquals(0, ((dev.breaker.internal.AbstractBreaker) b).listenerCount());
    }

    @Test
    void cancelOnBreakCancelsTheFuture() {
        Breaker b = Breaker.manual();
        CompletableFuture<String> f = new CompletableFuture<>();
        b.cancelOnBreak(f);
        b.close();
        assertTrue(f.isCancelled());
    }
}
