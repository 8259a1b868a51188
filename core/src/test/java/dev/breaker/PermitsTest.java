package dev.breaker;

import dev.breaker.internal.AbstractBreaker;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static dev.breaker.RecordingBreaker.awaitParkedOn;
import static dev.breaker.RetryTest.onNewThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PermitsTest {
    private static final long BOUND_SECONDS = 20; // a bound for hangs, not a timing assertion

    @Test
    void acquireAndCloseCountPermits() throws Exception {
        Permits permits = new Permits(5);
        assertEquals(5, permits.total());
        try (Breaker breaker = Breaker.manual()) {
            Permits.Permit two = permits.acquire(breaker, 2);
            assertEquals(2, two.count());
            assertEquals(3, permits.available());
            Permits.Permit three = permits.tryAcquire(3).orElseThrow();
            assertEquals(0, permits.available());
            assertTrue(permits.tryAcquire(1).isEmpty());
            two.close();
            assertEquals(2, permits.available());
            three.close();
            assertEquals(5, permits.available());
            try (Permits.Permit all = permits.acquire(breaker, 5)) {
                assertEquals(0, permits.available());
            }
            assertEquals(5, permits.available());
        }
    }

    @Test
    void closingTwiceReleasesOnce() throws Exception {
        Permits permits = new Permits(5);
        try (Breaker breaker = Breaker.manual()) {
            Permits.Permit p = permits.acquire(breaker, 2);
            p.close();
            p.close();
            assertEquals(5, permits.available());
            assertTrue(p.toString().contains("closed"));
            // two threads closing one permit at once: still released once
            for (int i = 0; i < 1_000; i++) {
                Permits.Permit q = permits.acquire(breaker, 3);
                CyclicBarrier both = new CyclicBarrier(2);
                CompletableFuture<Object> other = onNewThread("closer", () -> {
                    both.await();
                    q.close();
                    return null;
                });
                both.await();
                q.close();
                other.get(BOUND_SECONDS, TimeUnit.SECONDS);
                assertEquals(5, permits.available());
            }
        }
    }

    @Test
    void aWaiterIsReleasedByATripWithTheReasonAndHoldsNothing() throws Exception {
        Permits permits = new Permits(2);
        Permits.Permit held = permits.tryAcquire(2).orElseThrow();
        Breaker breaker = Breaker.manual();
        AtomicReference<Thread> waiter = new AtomicReference<>();
        CompletableFuture<Permits.Permit> acquire = onNewThread("waiter", () -> {
            waiter.set(Thread.currentThread());
            return permits.acquire(breaker, 1);
        });
        RecordingBreaker.awaitTrue("the waiter starts", () -> waiter.get() != null);
        awaitParkedOn(waiter.get(), permits);
        breaker.close();
        BrokenException e = brokenBy(acquire);
        assertEquals(BreakReason.CLOSED, e.reason());
        assertEquals(0, permits.available());
        held.close();
        assertEquals(2, permits.available()); // the waiter took nothing
        assertEquals(0, ((AbstractBreaker) breaker).listenerCount());
    }

    @Test
    void aTimeoutBreakerEndsAWaitWithATimeoutReason() throws Exception {
        Permits permits = new Permits(1);
        try (Permits.Permit held = permits.tryAcquire(1).orElseThrow();
             Breaker breaker = Breaker.byTimeout(Duration.ofMillis(50))) {
            BrokenException e = assertThrows(BrokenException.class, () -> permits.acquire(breaker, 1));
            assertEquals(BreakReason.Kind.TIMEOUT, e.reason().kind());
            assertEquals(0, permits.available());
        }
        assertEquals(1, permits.available());
    }

    @Test
    void anAlreadyTrippedBreakerAcquiresNothing() {
        Permits permits = new Permits(3);
        Breaker breaker = Breaker.manual();
        breaker.close();
        BrokenException e = assertThrows(BrokenException.class, () -> permits.acquire(breaker, 1));
        assertEquals(BreakReason.CLOSED, e.reason());
        assertEquals(3, permits.available());
        RecordingBreaker recording = new RecordingBreaker(breaker);
        assertThrows(BrokenException.class, () -> permits.acquire(recording, 3));
        assertEquals(0, recording.registrations.get(), "refused before registering anything");
        assertEquals(3, permits.available());
    }

    @Test
    void waitersAreServedFirstInFirstOutWithoutBarging() throws Exception {
        Permits permits = new Permits(2);
        Permits.Permit first = permits.tryAcquire(1).orElseThrow();
        Permits.Permit second = permits.tryAcquire(1).orElseThrow();
        List<String> served = new CopyOnWriteArrayList<>();
        try (Breaker breaker = Breaker.manual()) {
            CompletableFuture<Permits.Permit> big = waiter("big", permits, breaker, 2, served);
            CompletableFuture<Permits.Permit> small = waiter("small", permits, breaker, 1, served);

            first.close(); // one free: the oldest waiter wants two, so nobody is served
            assertEquals(1, permits.available());
            assertTrue(permits.tryAcquire(1).isEmpty(), "tryAcquire does not barge past waiters");
            assertFalse(small.isDone());

            second.close(); // two free: the big one, first in line
            Permits.Permit bigPermit = big.get(BOUND_SECONDS, TimeUnit.SECONDS);
            assertEquals(0, permits.available());
            assertFalse(small.isDone());
            bigPermit.close();
            small.get(BOUND_SECONDS, TimeUnit.SECONDS).close();
            assertEquals(List.of("big", "small"), served);
            assertEquals(2, permits.available());
        }
    }

    @Test
    void aWaiterThatLeavesLetsTheOnesBehindItBeServed() throws Exception {
        Permits permits = new Permits(2);
        Permits.Permit first = permits.tryAcquire(1).orElseThrow();
        Permits.Permit second = permits.tryAcquire(1).orElseThrow();
        List<String> served = new CopyOnWriteArrayList<>();
        Breaker bigs = Breaker.manual();
        try (Breaker smalls = Breaker.manual()) {
            CompletableFuture<Permits.Permit> big = waiter("big", permits, bigs, 2, served);
            CompletableFuture<Permits.Permit> small = waiter("small", permits, smalls, 1, served);
            first.close();
            assertFalse(small.isDone());
            bigs.close(); // the big one leaves: the free permit goes to the small one
            brokenBy(big);
            small.get(BOUND_SECONDS, TimeUnit.SECONDS).close();
            second.close();
            assertEquals(List.of("small"), served);
            assertEquals(2, permits.available());
        }
    }

    @Test
    void anInterruptedWaiterLeavesHoldingNothing() throws Exception {
        Permits permits = new Permits(1);
        Permits.Permit held = permits.tryAcquire(1).orElseThrow();
        try (Breaker breaker = Breaker.manual()) {
            AtomicReference<Thread> waiter = new AtomicReference<>();
            CompletableFuture<Permits.Permit> acquire = onNewThread("waiter", () -> {
                waiter.set(Thread.currentThread());
                return permits.acquire(breaker, 1);
            });
            RecordingBreaker.awaitTrue("the waiter starts", () -> waiter.get() != null);
            awaitParkedOn(waiter.get(), permits);
            waiter.get().interrupt();
            Object outcome = outcome(acquire);
            assertTrue(outcome instanceof InterruptedException, "expected an InterruptedException: " + outcome);
            held.close();
            assertEquals(1, permits.available());
        }
    }

    @Test
    void aTripRacingTheGrantOfTheLastPermitEitherHandsItOverOrLeavesIt() throws Exception {
        Permits permits = new Permits(1);
        int granted = 0;
        int broken = 0;
        for (int i = 0; i < 2_000; i++) {
            Permits.Permit last = permits.tryAcquire(1).orElseThrow();
            Breaker breaker = Breaker.manual();
            AtomicReference<Thread> waiter = new AtomicReference<>();
            CompletableFuture<Permits.Permit> acquire = onNewThread("waiter", () -> {
                waiter.set(Thread.currentThread());
                return permits.acquire(breaker, 1);
            });
            RecordingBreaker.awaitTrue("the waiter starts", () -> waiter.get() != null);
            awaitParkedOn(waiter.get(), permits);
            CyclicBarrier race = new CyclicBarrier(2);
            CompletableFuture<Object> trip = onNewThread("tripper", () -> {
                race.await();
                breaker.close();
                return null;
            });
            race.await();
            last.close(); // the grant, racing the trip
            trip.get(BOUND_SECONDS, TimeUnit.SECONDS);
            Object outcome = outcome(acquire);
            if (outcome instanceof Permits.Permit) {
                granted++;
                assertEquals(0, permits.available(), "handed over, not also left free");
                ((Permits.Permit) outcome).close();
            } else {
                assertEquals(BreakReason.CLOSED, assertInstanceOf(BrokenException.class, outcome).reason());
                broken++;
            }
            assertEquals(1, permits.available(), "iteration " + i);
            assertEquals(0, ((AbstractBreaker) breaker).listenerCount());
        }
        assertEquals(2_000, granted + broken);
        System.out.printf("Permits, trip racing the last grant: %d handed over, %d refused%n", granted, broken);
    }

    @Test
    void contentionWithTripsRacingGrantsLosesNoPermitAndNeverOvercommits() throws Exception {
        int total = 3;
        int threads = 8;
        int cycles = 10_000;
        Permits permits = new Permits(total);
        AtomicInteger held = new AtomicInteger();
        AtomicInteger maxHeld = new AtomicInteger();
        AtomicInteger acquired = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        BlockingQueue<Breaker> toTrip = new LinkedBlockingQueue<>();
        Breaker stopTripper = Breaker.manual();
        CompletableFuture<Object> tripper = onNewThread("tripper", () -> {
            for (Breaker b; (b = toTrip.take()) != stopTripper; ) {
                b.close();
            }
            return null;
        });
        CyclicBarrier go = new CyclicBarrier(threads);
        List<CompletableFuture<Object>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(onNewThread("worker-" + t, () -> {
                go.await();
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                for (int i = 0; i < cycles; i++) {
                    int n = 1 + rnd.nextInt(total);
                    int kind = rnd.nextInt(8);
                    try (Breaker breaker = kind == 0
                            ? Breaker.byTimeout(Duration.ofNanos(rnd.nextInt(2_000_000)))
                            : Breaker.manual()) {
                        if (kind <= 2) {
                            toTrip.add(breaker); // tripped by another thread, at some point
                        }
                        Permits.Permit p;
                        try {
                            p = permits.acquire(breaker, n);
                        } catch (BrokenException e) {
                            refused.incrementAndGet();
                            continue;
                        }
                        int now = held.addAndGet(n);
                        maxHeld.accumulateAndGet(now, Math::max);
                        acquired.incrementAndGet();
                        if (rnd.nextBoolean()) {
                            Thread.yield();
                        }
                        held.addAndGet(-n);
                        p.close();
                        p.close(); // idempotent
                    }
                }
                return null;
            }));
        }
        for (CompletableFuture<Object> w : workers) {
            w.get(2, TimeUnit.MINUTES);
        }
        toTrip.add(stopTripper);
        tripper.get(BOUND_SECONDS, TimeUnit.SECONDS);
        assertEquals(threads * cycles, acquired.get() + refused.get());
        assertTrue(maxHeld.get() <= total, "held at once: " + maxHeld.get());
        assertEquals(0, held.get());
        assertEquals(total, permits.available(), "no permit lost or granted twice");
        assertTrue(acquired.get() > 0, "some acquired");
        // and the semaphore is still whole: every permit can be taken at once
        assertTrue(permits.tryAcquire(total).isPresent());
        System.out.printf("Permits contention: %d acquired, %d refused by a trip, at most %d held%n",
                acquired.get(), refused.get(), maxHeld.get());
    }

    @Test
    void aLongLivedBreakerKeepsNoRegistrationAfterManyAcquires() throws Exception {
        Breaker manual = Breaker.manual();
        RecordingBreaker breaker = new RecordingBreaker(manual);
        Permits permits = new Permits(1);
        // 1. waits made certain: the permit is held whenever the waiter queues
        for (int i = 0; i < 500; i++) {
            Permits.Permit held = permits.tryAcquire(1).orElseThrow();
            AtomicReference<Thread> waiter = new AtomicReference<>();
            CompletableFuture<Permits.Permit> acquire = onNewThread("waiter", () -> {
                waiter.set(Thread.currentThread());
                return permits.acquire(breaker, 1);
            });
            RecordingBreaker.awaitTrue("the waiter starts", () -> waiter.get() != null);
            awaitParkedOn(waiter.get(), permits);
            held.close();
            acquire.get(BOUND_SECONDS, TimeUnit.SECONDS).close();
        }
        assertEquals(500, breaker.registrations.get(), "each wait registers once");
        assertEquals(0, breaker.liveRegistrations());
        // 2. 100,000 acquires from 4 contending threads on the same breaker
        int threads = 4;
        List<CompletableFuture<Object>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(onNewThread("worker-" + t, () -> {
                for (int i = 0; i < 25_000; i++) {
                    try (Permits.Permit p = permits.acquire(breaker, 1)) {
                        if ((i & 7) == 0) {
                            Thread.yield();
                        }
                    }
                }
                return null;
            }));
        }
        for (CompletableFuture<Object> w : workers) {
            w.get(2, TimeUnit.MINUTES);
        }
        System.out.printf("Permits on one long-lived breaker: %d registrations for 100,500 acquires%n",
                breaker.registrations.get());
        assertEquals(0, breaker.liveRegistrations(), "every registration was removed");
        assertEquals(0, ((AbstractBreaker) manual).listenerCount(), "the breaker holds no action");
        assertEquals(0, breaker.actionsRun.get());
        manual.close();
        assertEquals(0, breaker.actionsRun.get(), "closing the breaker runs no leftover action");
        assertEquals(1, permits.available());
    }

    @Test
    void badInputIsRefusedNamingTheValue() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Permits(0));
        assertEquals("total must be at least 1: 0", e.getMessage());
        Permits permits = new Permits(4);
        try (Breaker breaker = Breaker.manual()) {
            NullPointerException n = assertThrows(NullPointerException.class, () -> permits.acquire(null, 1));
            assertEquals("breaker must not be null", n.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> permits.acquire(breaker, 0));
            assertEquals("n must be at least 1: 0", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> permits.acquire(breaker, -2));
            assertEquals("n must be at least 1: -2", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> permits.acquire(breaker, 5));
            assertEquals("n must not exceed the total of 4 permits: 5", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> permits.tryAcquire(0));
            assertEquals("n must be at least 1: 0", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> permits.tryAcquire(5));
            assertEquals("n must not exceed the total of 4 permits: 5", e.getMessage());
        }
        assertEquals(4, permits.available());
    }

    /** Starts a thread that acquires {@code n}, notes its name when served, and waits until it queued. */
    private static CompletableFuture<Permits.Permit> waiter(String name, Permits permits, Breaker breaker, int n,
                                                           List<String> served) {
        AtomicReference<Thread> thread = new AtomicReference<>();
        CompletableFuture<Permits.Permit> f = onNewThread(name, () -> {
            thread.set(Thread.currentThread());
            Permits.Permit p = permits.acquire(breaker, n);
            served.add(name);
            return p;
        });
        RecordingBreaker.awaitTrue(name + " starts", () -> thread.get() != null);
        awaitParkedOn(thread.get(), permits);
        return f;
    }

    /** The BrokenException {@code acquire} failed with. */
    private static BrokenException brokenBy(CompletableFuture<?> acquire) throws Exception {
        return assertInstanceOf(BrokenException.class, outcome(acquire), "acquired despite the trip");
    }

    /**
     * What {@code f} completed with: its value, or the very exception it failed with. ({@code get}
     * throws a BrokenException, a CancellationException, unwrapped on JDK 17 and wrapped in
     * another one on later JDKs.)
     */
    static Object outcome(CompletableFuture<?> f) throws Exception {
        return f.handle((value, failure) -> failure != null ? failure : value).get(BOUND_SECONDS, TimeUnit.SECONDS);
    }
}
