package dev.breaker.cdi.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The announcement and the readiness delay, on a clock the test owns. */
class ShutdownAnnouncementTest {
    /** Time moves only when someone sleeps; every sleep is recorded. */
    static final class FakeClock implements ShutdownAnnouncement.Clock {
        long now = 1_000;
        final List<Long> sleeps = new ArrayList<>();

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleep(long nanos) {
            sleeps.add(nanos);
            now += nanos;
        }
    }

    @Test
    void theFirstAnnouncementCountsAndTheDelayRunsFromIt() {
        FakeClock clock = new FakeClock();
        ShutdownAnnouncement a = new ShutdownAnnouncement(clock);
        a.delay(Duration.ofNanos(500));
        assertFalse(a.isAnnounced());
        assertTrue(a.announce("SIGTERM"));
        clock.now += 200;
        assertFalse(a.announce("the container"), "a later announcement changes nothing");
        assertEquals("SIGTERM", a.announced().orElseThrow().by());
        assertEquals(300, a.remainingNanos());
        assertEquals(300, a.awaitDelay("the container"), "waits only what remains of the delay");
        assertEquals(List.of(300L), clock.sleeps);
        assertEquals(0, a.awaitDelay("again"), "a second wait returns at once");
        assertEquals(List.of(300L), clock.sleeps);
    }

    @Test
    void waitingWithoutAnAnnouncementAnnouncesAndWaitsTheWholeDelay() {
        FakeClock clock = new FakeClock();
        ShutdownAnnouncement a = new ShutdownAnnouncement(clock);
        a.delay(Duration.ofNanos(700));
        assertEquals(700, a.remainingNanos());
        assertEquals(700, a.awaitDelay("the container"));
        assertEquals("the container", a.announced().orElseThrow().by());
    }

    @Test
    void aDelayAlreadySpentCostsNothing() {
        FakeClock clock = new FakeClock();
        ShutdownAnnouncement a = new ShutdownAnnouncement(clock);
        a.delay(Duration.ofNanos(500));
        a.announce("SIGTERM");
        clock.now += 5_000; // e.g. the runtime waited by itself before it stopped the application
        assertEquals(0, a.remainingNanos());
        assertEquals(0, a.awaitDelay("the container"));
        assertTrue(clock.sleeps.isEmpty());
    }

    @Test
    void noDelayByDefault() {
        FakeClock clock = new FakeClock();
        ShutdownAnnouncement a = new ShutdownAnnouncement(clock);
        assertEquals(0, a.awaitDelay("the container"));
        assertTrue(a.isAnnounced());
        assertTrue(clock.sleeps.isEmpty());
    }

    @Test
    void anInterruptEndsTheWaitAndStaysSet() {
        ShutdownAnnouncement a = new ShutdownAnnouncement(new ShutdownAnnouncement.Clock() {
            @Override
            public long nanoTime() {
                return 0;
            }

            @Override
            public void sleep(long nanos) throws InterruptedException {
                throw new InterruptedException();
            }
        });
        a.delay(Duration.ofDays(1));
        a.awaitDelay("SIGTERM");
        assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
    }
}
