package dev.breaker;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BreakerBridgesTest {
    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS));
    }

    @Test
    void callInterruptsABlockedTaskAndClearsTheInterruptAfterwards() throws Exception {
        // tripped only once the task blocks (a 50 ms timeout could fire before call() began, under load)
        try (Breaker b = Breaker.manual()) {
            CountDownLatch blocked = new CountDownLatch(1);
            CountDownLatch never = new CountDownLatch(1);
            Thread closer = new Thread(() -> {
                try {
                    if (blocked.await(30, TimeUnit.SECONDS)) {
                        b.close();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            closer.start();
            BrokenException e = assertThrows(BrokenException.class, () -> b.call(() -> {
                blocked.countDown();
                return never.await(30, TimeUnit.SECONDS);
            }));
            closer.join();
            assertInstanceOf(InterruptedException.class, e.getCause());
            assertEquals(BreakReason.Kind.CLOSED, e.reason().kind());
            assertFalse(Thread.currentThread().isInterrupted(), "the bridge must clear its interrupt");
        }
    }

    @Test
    void callClearsTheInterruptEvenWhenTheTaskIgnoresIt() throws Exception {
        Breaker b = Breaker.manual();
        String result = b.call(() -> {
            b.close();
            assertTrue(Thread.currentThread().isInterrupted());
            return "finished anyway";
        });
        assertEquals("finished anyway", result);
        assertFalse(Thread.interrupted());
    }

    @Test
    void callKeepsAnInterruptFromSomeoneElse() throws Exception {
        Breaker b = Breaker.manual();
        b.call(() -> {
            Thread.currentThread().interrupt();
            return null;
        });
        assertTrue(Thread.interrupted(), "an interrupt the breaker did not deliver must survive");
    }

    @Test
    void callOnABrokenBreakerDoesNotRunTheTask() {
        Breaker b = Breaker.manual();
        b.close();
        AtomicBoolean ran = new AtomicBoolean();
        assertThrows(BrokenException.class, () -> b.call(() -> ran.getAndSet(true)));
        assertFalse(ran.get());
    }

    @Test
    void callPassesFailuresThroughWhenNotTripped() {
        Breaker b = Breaker.manual();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.call(() -> {
            throw new IllegalStateException("own failure");
        }));
        assertEquals("own failure", e.getMessage());
        assertEquals(0, ((dev.breaker.internal.AbstractBreaker) b).listenerCount());
    }

    @Test
    void submitRunsTheTaskAndReturnsItsResult() throws Exception {
        Breaker b = Breaker.manual();
        assertEquals(42, b.submit(() -> 42, pool).get(5, TimeUnit.SECONDS));
        assertEquals(0, ((dev.breaker.internal.AbstractBreaker) b).listenerCount());
    }

    @Test
    void submitFailsWithBrokenExceptionWhenTheBreakerTripsWhileTheTaskRuns() throws Exception {
        Breaker b = Breaker.manual();
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Object> f = b.submit(() -> {
            started.countDown();
            return new CountDownLatch(1).await(30, TimeUnit.SECONDS);
        }, pool);
        assertTrue(started.await(5, TimeUnit.SECONDS));
        b.close();
        // get() throws a CancellationException (as is on JDK 17, wrapped on newer JDKs)
        assertThrows(CancellationException.class, () -> f.get(5, TimeUnit.SECONDS));
        BrokenException e = assertInstanceOf(BrokenException.class, failureOf(f));
        assertEquals(BreakReason.CLOSED, e.reason());
        assertInstanceOf(InterruptedException.class, e.getCause());
    }

    @Test
    void submitOnABrokenBreakerFailsWithoutRunning() throws Exception {
        Breaker b = Breaker.manual();
        b.close();
        AtomicBoolean ran = new AtomicBoolean();
        CompletableFuture<Boolean> f = b.submit(() -> ran.getAndSet(true), pool);
        assertInstanceOf(BrokenException.class, failureOf(f));
        assertFalse(ran.get());
    }

    private static Throwable failureOf(CompletableFuture<?> f) throws Exception {
        return f.handle((v, t) -> t).get(5, TimeUnit.SECONDS);
    }

    @Test
    void cancellingASubmittedTaskInterruptsIt() throws Exception {
        Breaker b = Breaker.manual();
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
        CompletableFuture<Object> f = b.submit(() -> {
            started.countDown();
            try {
                return new CountDownLatch(1).await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted.complete(true);
                throw e;
            }
        }, pool);
        assertTrue(started.await(5, TimeUnit.SECONDS));
        assertTrue(f.cancel(true));
        assertTrue(interrupted.get(5, TimeUnit.SECONDS));
        assertThrows(CancellationException.class, f::join);
        assertFalse(b.isBroken(), "cancelling one task must not trip the breaker");
    }

    @Test
    void callKeepsAForeignInterruptThatWasPendingWhenTheBreakerTripped() throws Exception {
        Breaker b = Breaker.manual();
        String result = b.call(() -> {
            Thread.currentThread().interrupt(); // someone else's interrupt, still pending
            b.close();                           // the breaker trips while it is pending
            return "done";
        });
        assertEquals("done", result);
        assertTrue(Thread.interrupted(), "the foreign interrupt was cleared by call()");
    }

    @Test
    void callClearsOnlyItsOwnInterrupt() throws Exception {
        Breaker b = Breaker.manual();
        Object result = b.call(() -> {
            b.close(); // our interrupt is delivered
            return Thread.currentThread().isInterrupted();
        });
        assertEquals(Boolean.TRUE, result);
        assertFalse(Thread.interrupted(), "the breaker's own interrupt outlived the call");
    }
}
