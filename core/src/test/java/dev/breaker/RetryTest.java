package dev.breaker;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static dev.breaker.RecordingBreaker.awaitParkedOn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryTest {
    /** Generous: what "at once" means on a loaded two-core machine. */
    private static final long PROMPT_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final Retry NO_WAIT = Retry.defaults().withBackoff(Duration.ZERO, Duration.ZERO);
    private static final Retry ONE_MINUTE = Retry.defaults().withBackoff(Duration.ofMinutes(1), Duration.ofMinutes(1));

    @Test
    void successAtFirstCallsTheActionOnce() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (Breaker breaker = Breaker.manual()) {
            assertEquals("ok", Retry.call(breaker, () -> {
                calls.incrementAndGet();
                return "ok";
            }));
            assertEquals(1, calls.get());

            Retry.Result<String> r = Retry.defaults().run(breaker, () -> "again");
            assertEquals(Retry.Stop.SUCCESS, r.stop());
            assertTrue(r.succeeded());
            assertEquals("again", r.value());
            assertEquals(1, r.attempts());
            assertTrue(r.failures().isEmpty());
            assertTrue(r.reason().isEmpty());
            assertEquals("again", r.orThrow());
        }
    }

    @Test
    void successAfterFailuresCountsTheAttemptsAndKeepsTheFailures() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        List<Exception> thrown = new ArrayList<>();
        try (Breaker breaker = Breaker.manual()) {
            Retry.Result<Integer> r = NO_WAIT.withAttempts(5).run(breaker, () -> {
                int n = calls.incrementAndGet();
                if (n < 3) {
                    IOException e = new IOException("failure " + n);
                    thrown.add(e);
                    throw e;
                }
                return n;
            });
            assertEquals(Retry.Stop.SUCCESS, r.stop());
            assertEquals(3, r.value());
            assertEquals(3, r.attempts());
            assertEquals(thrown, r.failures());
            assertEquals(3, calls.get());
        }
    }

    @Test
    void theDefaultsRetryThreeTimesWithinTheirBackoff() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (Breaker breaker = Breaker.manual()) {
            long start = System.nanoTime();
            assertEquals(3, Retry.call(breaker, () -> {
                if (calls.incrementAndGet() < 3) {
                    throw new IllegalStateException("transient");
                }
                return calls.get();
            }));
            // two waits of 100..200 ms and 100..400 ms
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(200));
        }
    }

    @Test
    void attemptsUsedUpKeepsEveryFailureInOrderAsSuppressed() {
        List<Exception> thrown = new ArrayList<>();
        try (Breaker breaker = Breaker.manual()) {
            Retry policy = NO_WAIT.withAttempts(4);
            Retry.Result<Object> r = run(policy, breaker, () -> {
                IOException e = new IOException("failure " + (thrown.size() + 1));
                thrown.add(e);
                throw e;
            });
            assertEquals(Retry.Stop.EXHAUSTED, r.stop());
            assertEquals(4, r.attempts());
            assertEquals(thrown, r.failures());
            assertSame(thrown.get(3), r.lastFailure().orElseThrow());
            assertTrue(r.reason().isEmpty());
            assertThrows(IllegalStateException.class, r::value);
            IOException last = assertThrows(IOException.class, r::orThrow);
            assertSame(thrown.get(3), last);
            assertEquals(thrown.subList(0, 3), Arrays.asList(last.getSuppressed()));
        }
    }

    @Test
    void anActionThrowingTheSameInstanceEveryTimeDoesNotSuppressItself() {
        IOException same = new IOException("always the same");
        try (Breaker breaker = Breaker.manual()) {
            Retry.Result<Object> r = run(NO_WAIT, breaker, () -> {
                throw same;
            });
            assertEquals(Retry.Stop.EXHAUSTED, r.stop());
            assertEquals(List.of(same, same, same), r.failures());
            assertEquals(0, same.getSuppressed().length);
        }
    }

    @Test
    void aFailureThatIsNotRetriedStopsAtOnce() {
        AtomicInteger calls = new AtomicInteger();
        IOException transientFailure = new IOException("transient");
        IllegalArgumentException bug = new IllegalArgumentException("a bug");
        try (Breaker breaker = Breaker.manual()) {
            Retry policy = NO_WAIT.withAttempts(10).withRetryIf(e -> e instanceof IOException);
            Retry.Result<Object> r = run(policy, breaker, () -> {
                throw calls.incrementAndGet() == 1 ? transientFailure : bug;
            });
            assertEquals(Retry.Stop.FAILED, r.stop());
            assertEquals(2, r.attempts());
            assertEquals(2, calls.get());
            assertEquals(List.of(transientFailure, bug), r.failures());
            IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, r::orThrow);
            assertSame(bug, thrown);
            assertEquals(List.of(transientFailure), Arrays.asList(thrown.getSuppressed()));
        }
    }

    @Test
    void brokenAndInterruptedExceptionsOfTheActionAreNeverRetried() {
        AtomicInteger calls = new AtomicInteger();
        try (Breaker breaker = Breaker.manual()) {
            // the action's own breaker (not ours) tripped: a failure, not ours to retry
            Retry.Result<Object> r = run(NO_WAIT, breaker, () -> {
                calls.incrementAndGet();
                throw new BrokenException(BreakReason.shutdown("another breaker"));
            });
            assertEquals(Retry.Stop.FAILED, r.stop());
            assertEquals(1, calls.get());

            Retry.Result<Object> i = run(NO_WAIT, breaker, () -> {
                calls.incrementAndGet();
                throw new InterruptedException("expected by the test");
            });
            assertEquals(Retry.Stop.FAILED, i.stop());
            assertEquals(2, calls.get());
            assertThrows(InterruptedException.class, i::orThrow);
        }
        // ours tripped during the attempt: BROKEN, with our reason
        Breaker breaker = Breaker.manual();
        Retry.Result<Object> r = run(NO_WAIT, breaker, () -> {
            breaker.close();
            breaker.throwIfBroken();
            return null;
        });
        assertEquals(Retry.Stop.BROKEN, r.stop());
        assertEquals(BreakReason.CLOSED, r.reason().orElseThrow());
        assertEquals(1, r.attempts());
    }

    @Test
    void errorsAreNotCaught() {
        AtomicInteger calls = new AtomicInteger();
        try (Breaker breaker = Breaker.manual()) {
            AssertionError e = assertThrows(AssertionError.class, () -> NO_WAIT.run(breaker, () -> {
                calls.incrementAndGet();
                throw new AssertionError("expected by the test");
            }));
            assertEquals("expected by the test", e.getMessage());
            assertEquals(1, calls.get());
        }
    }

    @Test
    void aTripDuringALongBackoffEndsTheRetryAtOnceWithTheReason() throws Exception {
        IOException failure = new IOException("down");
        AtomicInteger calls = new AtomicInteger();
        Breaker breaker = Breaker.manual();
        AtomicReference<Thread> retrying = new AtomicReference<>();
        CompletableFuture<Retry.Result<Object>> result = onNewThread("retrying", () -> {
            retrying.set(Thread.currentThread());
            return run(ONE_MINUTE, breaker, () -> {
                calls.incrementAndGet();
                throw failure;
            });
        });
        RecordingBreaker.awaitTrue("the retry runs", () -> retrying.get() != null);
        awaitParkedOn(retrying.get(), breaker); // waiting out the one-minute back-off
        long tripped = System.nanoTime();
        breaker.close();
        Retry.Result<Object> r = result.get(10, TimeUnit.SECONDS);
        long took = System.nanoTime() - tripped;
        assertTrue(took < PROMPT_NANOS, "the retry ended " + took / 1_000_000 + " ms after the trip");
        assertEquals(Retry.Stop.BROKEN, r.stop());
        assertEquals(BreakReason.CLOSED, r.reason().orElseThrow());
        assertEquals(1, r.attempts());
        assertEquals(1, calls.get());
        assertEquals(List.of(failure), r.failures());
        BrokenException e = assertThrows(BrokenException.class, r::orThrow);
        assertEquals(BreakReason.CLOSED, e.reason());
        assertSame(failure, e.getCause());
    }

    @Test
    void aBreakerWithLessTimeLeftThanTheNextBackoffStopsWithoutWaiting() throws Exception {
        IOException failure = new IOException("down");
        AtomicInteger calls = new AtomicInteger();
        try (Breaker breaker = new RecordingBreaker(Breaker.manual(), Duration.ofMillis(100))) {
            long start = System.nanoTime();
            Retry.Result<Object> r = run(ONE_MINUTE, breaker, () -> {
                calls.incrementAndGet();
                throw failure;
            });
            long took = System.nanoTime() - start;
            assertTrue(took < PROMPT_NANOS, "took " + took / 1_000_000 + " ms");
            assertEquals(Retry.Stop.OUT_OF_TIME, r.stop());
            assertEquals(1, r.attempts());
            assertEquals(1, calls.get());
            assertFalse(breaker.isBroken());
            assertTrue(r.reason().isEmpty());
            assertSame(failure, assertThrows(IOException.class, r::orThrow));
        }
        // enough time left: it waits and tries again
        calls.set(0);
        try (Breaker breaker = new RecordingBreaker(Breaker.manual(), Duration.ofHours(1))) {
            Retry policy = Retry.defaults().withBackoff(Duration.ofMillis(1), Duration.ofMillis(2));
            Retry.Result<Object> r = run(policy, breaker, () -> {
                calls.incrementAndGet();
                throw failure;
            });
            assertEquals(Retry.Stop.EXHAUSTED, r.stop());
            assertEquals(3, calls.get());
        }
    }

    @Test
    void aBreakerTrippedBeforeTheStartNeverRunsTheAction() {
        AtomicInteger calls = new AtomicInteger();
        Breaker breaker = Breaker.manual();
        breaker.close();
        BrokenException e = assertThrows(BrokenException.class,
                () -> Retry.call(breaker, calls::incrementAndGet));
        assertEquals(BreakReason.CLOSED, e.reason());
        assertNull(e.getCause());
        Retry.Result<Integer> r = run(Retry.defaults(), breaker, calls::incrementAndGet);
        assertEquals(Retry.Stop.BROKEN, r.stop());
        assertEquals(0, r.attempts());
        assertEquals(BreakReason.CLOSED, r.reason().orElseThrow());
        assertTrue(r.failures().isEmpty());
        assertEquals(0, calls.get());
    }

    @Test
    void aManualBreakerClosedFromAnotherThreadStopsARetryLoopPromptly() throws Exception {
        Breaker shutdown = Breaker.manual();
        CountDownLatch looping = new CountDownLatch(3);
        AtomicInteger calls = new AtomicInteger();
        Retry forever = Retry.defaults().withAttempts(Integer.MAX_VALUE)
                .withBackoff(Duration.ofMillis(1), Duration.ofMillis(20));
        CompletableFuture<Object> worker = onNewThread("retrying", () -> {
            try {
                return forever.run(shutdown, () -> {
                    calls.incrementAndGet();
                    looping.countDown();
                    throw new IOException("service unavailable");
                }).orThrow();
            } catch (Exception e) {
                return e;
            }
        });
        assertTrue(looping.await(20, TimeUnit.SECONDS), "the retry loop runs");
        long closing = System.nanoTime();
        onNewThread("shutdown", () -> {
            shutdown.close();
            return null;
        }).get(10, TimeUnit.SECONDS);
        Object outcome = worker.get(10, TimeUnit.SECONDS);
        long took = System.nanoTime() - closing;
        assertTrue(took < PROMPT_NANOS, "stopped " + took / 1_000_000 + " ms after the close");
        BrokenException e = assertInstanceOf(BrokenException.class, outcome);
        assertEquals(BreakReason.CLOSED, e.reason());
        assertTrue(e.getCause() instanceof IOException);
        assertEquals(calls.get() - 1, e.getCause().getSuppressed().length);
    }

    @Test
    void anInterruptDuringTheBackoffEndsTheRunWithTheFailuresSuppressed() {
        IOException failure = new IOException("down");
        try (Breaker breaker = Breaker.manual()) {
            Thread.currentThread().interrupt();
            InterruptedException e = assertThrows(InterruptedException.class,
                    () -> ONE_MINUTE.run(breaker, () -> {
                        throw failure;
                    }));
            assertEquals(List.of(failure), Arrays.asList(e.getSuppressed()));
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void theBackoffGrowsWithFullJitterBetweenMinAndMax() {
        Retry r = Retry.defaults().withBackoff(Duration.ofMillis(10), Duration.ofMillis(80));
        boolean spread = false;
        for (int failed = 1; failed <= 70; failed++) {
            long ceiling = Math.min(80, 10L << Math.min(failed, 20));
            for (int i = 0; i < 200; i++) {
                Duration d = r.delay(failed);
                assertTrue(d.compareTo(Duration.ofMillis(10)) >= 0, d + " after " + failed);
                assertTrue(d.compareTo(Duration.ofMillis(ceiling)) <= 0, d + " after " + failed);
                spread |= d.compareTo(Duration.ofMillis(40)) > 0;
            }
        }
        assertTrue(spread, "the window reaches the maximum");
        Retry fixed = Retry.defaults().withBackoff(Duration.ofMillis(7), Duration.ofMillis(7));
        assertEquals(Duration.ofMillis(7), fixed.delay(1));
        assertEquals(Duration.ofMillis(7), fixed.delay(30));
        assertEquals(Duration.ZERO, NO_WAIT.delay(5));
        Retry fromZero = Retry.defaults().withBackoff(Duration.ZERO, Duration.ofSeconds(1));
        assertTrue(fromZero.delay(1).compareTo(Duration.ofMillis(2)) <= 0);
        Retry huge = Retry.defaults().withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(Long.MAX_VALUE));
        for (int failed = 1; failed < 100; failed++) {
            assertFalse(huge.delay(failed).isNegative()); // no overflow
        }
    }

    @Test
    void badInputIsRefusedWhenTheRetryIsBuiltNamingTheArgumentAndTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Retry.defaults().withAttempts(0));
        assertEquals("attempts must be at least 1: 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Retry.defaults().withAttempts(-3));
        assertEquals("attempts must be at least 1: -3", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Retry.defaults().withBackoff(Duration.ofMillis(-1), Duration.ofSeconds(1)));
        assertEquals("min must not be negative: PT-0.001S", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Retry.defaults().withBackoff(Duration.ZERO, Duration.ofSeconds(-1)));
        assertEquals("max must not be negative: PT-1S", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Retry.defaults().withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertEquals("min must not exceed max: min PT2S, max PT1S", e.getMessage());
        NullPointerException n = assertThrows(NullPointerException.class,
                () -> Retry.defaults().withBackoff(null, Duration.ZERO));
        assertEquals("min must not be null", n.getMessage());
        n = assertThrows(NullPointerException.class, () -> Retry.defaults().withBackoff(Duration.ZERO, null));
        assertEquals("max must not be null", n.getMessage());
        n = assertThrows(NullPointerException.class, () -> Retry.defaults().withRetryIf(null));
        assertEquals("retryIf must not be null", n.getMessage());
        try (Breaker breaker = Breaker.manual()) {
            n = assertThrows(NullPointerException.class, () -> Retry.call(null, () -> 1));
            assertEquals("breaker must not be null", n.getMessage());
            n = assertThrows(NullPointerException.class, () -> Retry.call(breaker, null));
            assertEquals("action must not be null", n.getMessage());
            n = assertThrows(NullPointerException.class, () -> Retry.defaults().run(breaker, null));
            assertEquals("action must not be null", n.getMessage());
        }
        // the defaults are untouched by the copies above
        assertEquals("Retry[attempts 3, backoff PT0.1S..PT5S]", Retry.defaults().toString());
    }

    private static <T> Retry.Result<T> run(Retry policy, Breaker breaker, java.util.concurrent.Callable<T> action) {
        try {
            return policy.run(breaker, action);
        } catch (InterruptedException e) {
            throw new AssertionError("not interrupted by the test", e);
        }
    }

    /** Runs {@code task} on a new thread of its own (the common pool may have one thread). */
    static <T> CompletableFuture<T> onNewThread(String name, java.util.concurrent.Callable<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(task.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return f;
    }
}
