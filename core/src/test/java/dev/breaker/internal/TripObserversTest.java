package dev.breaker.internal;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TripObservers}: every trip of every kind of breaker reaches the observers, once, with its
 * reason; an undo removes exactly its own registration; the count returns to zero; an observer
 * that throws disturbs neither the trip nor the other observers. Other tests' breakers may trip
 * meanwhile (timers), so each test keeps only the trips of this thread or of its own reasons.
 */
class TripObserversTest {

    @AfterEach
    void nothingLeft() {
        assertEquals(0, TripObservers.count(), "a registration was left in place");
    }

    @Test
    void everyKindOfTripIsObservedOnceWithItsReason() throws Exception {
        Thread me = Thread.currentThread();
        BreakReason own = BreakReason.shutdown("trip-observers-test");
        Duration timeout = Duration.ofNanos(1_234_567);
        List<BreakReason> seen = new CopyOnWriteArrayList<>();
        CountDownLatch timedOut = new CountDownLatch(1);
        Runnable undo = TripObservers.add(why -> {
            if (why.kind() == BreakReason.Kind.TIMEOUT && why.detail().equals("timeout " + timeout)) {
                seen.add(why);
                timedOut.countDown();
            } else if (Thread.currentThread() == me) {
                seen.add(why);
            }
        });
        assertEquals(1, TripObservers.count());
        try {
            Breaker.manual().close();                       // CLOSED
            ManualBreaker m = Breakers.manual();
            m.tripAs(own);                                  // SHUTDOWN
            m.tripAs(BreakReason.CLOSED);                   // already tripped: not a trip
            Breaker child = Breaker.manual();
            Breaker multi = Breaker.multiplex(child);
            child.close();                                  // CLOSED, then the multiplex's CHILD
            multi.close();                                  // already tripped: not a trip
            Breaker timed = Breaker.byTimeout(timeout);     // TIMEOUT, on the timer's thread
            assertTrue(timedOut.await(10, TimeUnit.SECONDS), "the timeout's trip was not observed");
            timed.close();
        } finally {
            undo.run();
        }
        assertEquals(List.of(BreakReason.Kind.CLOSED, BreakReason.Kind.SHUTDOWN, BreakReason.Kind.CLOSED,
                        BreakReason.Kind.CHILD, BreakReason.Kind.TIMEOUT),
                seen.stream().map(BreakReason::kind).toList());
        assertTrue(seen.get(1) == own, "the reason itself is given");
        Breaker.manual().close();
        assertEquals(5, seen.size(), "an undone observer is not called");
    }

    @Test
    void eachUndoRemovesItsOwnRegistrationOnceAndTheCountReturnsToZero() {
        Thread me = Thread.currentThread();
        List<String> calls = new CopyOnWriteArrayList<>();
        java.util.function.Consumer<BreakReason> a = why -> {
            if (Thread.currentThread() == me) {
                calls.add("a");
            }
        };
        Runnable undoA1 = TripObservers.add(a);
        Runnable undoA2 = TripObservers.add(a); // the same observer twice: two registrations
        Runnable undoB = TripObservers.add(why -> {
            if (Thread.currentThread() == me) {
                calls.add("b");
            }
        });
        assertEquals(3, TripObservers.count());
        Breaker.manual().close();
        assertEquals(List.of("a", "a", "b"), calls);

        undoA1.run();
        undoA1.run(); // idempotent: does not remove the second registration of a
        assertEquals(2, TripObservers.count());
        calls.clear();
        Breaker.manual().close();
        assertEquals(List.of("a", "b"), calls);

        undoB.run();
        undoA2.run();
        assertEquals(0, TripObservers.count());
        calls.clear();
        Breaker.manual().close();
        assertTrue(calls.isEmpty());
    }

    @Test
    void aThrowingObserverDisturbsNeitherTheTripNorTheOthers() {
        Thread me = Thread.currentThread();
        List<BreakReason> seen = new CopyOnWriteArrayList<>();
        Runnable undoBad = TripObservers.add(why -> {
            throw new StackOverflowError("observer bug");
        });
        Runnable undoGood = TripObservers.add(why -> {
            if (Thread.currentThread() == me) {
                seen.add(why);
            }
        });
        QuietLogs.silence();
        try {
            Breaker b = Breaker.manual();
            CountDownLatch ran = new CountDownLatch(1);
            b.onBreak(ran::countDown);
            b.close();
            assertTrue(b.isBroken());
            assertEquals(0, ran.getCount(), "the trip's actions still ran");
            assertEquals(1, seen.size());
        } finally {
            QuietLogs.restore();
            undoBad.run();
            undoGood.run();
        }
        assertFalse(TripObservers.count() > 0);
    }
}
