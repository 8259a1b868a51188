package dev.breaker.tck.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * What the fixture beans did, in one global order: every entry gets a sequence number when it is
 * recorded, so "A's start ended before B's start began" is a comparison of two numbers, free of
 * clock resolution. Also gates (latches a test opens) and rendezvous points (which prove that
 * two things run at the same time). Reset by every deployment. Thread-safe.
 */
public final class Recorder {
    private static final AtomicLong SEQ = new AtomicLong();
    private static final List<Entry> ENTRIES = new CopyOnWriteArrayList<>();
    private static final Map<String, CountDownLatch> GATES = new ConcurrentHashMap<>();
    private static final Map<String, CountDownLatch> RENDEZVOUS = new ConcurrentHashMap<>();

    private Recorder() {
    }

    /**
     * One recorded fact: {@code what} ("start-begin", "stop-end", …) about {@code who}, with an
     * optional {@code detail} (a message, a number; empty if none).
     */
    public record Entry(long seq, long nanos, String what, String who, String thread, String detail) {
    }

    public static void record(String what, String who) {
        record(what, who, "");
    }

    public static void record(String what, String who, String detail) {
        ENTRIES.add(new Entry(SEQ.incrementAndGet(), System.nanoTime(), what, who, Thread.currentThread().getName(),
                detail));
        synchronized (ENTRIES) {
            ENTRIES.notifyAll(); // wakes await()
        }
    }

    public static List<Entry> entries() {
        return List.copyOf(ENTRIES);
    }

    public static List<Entry> entries(String what) {
        return ENTRIES.stream().filter(e -> e.what.equals(what)).toList();
    }

    public static List<String> who(String what) {
        return entries(what).stream().map(Entry::who).toList();
    }

    public static long count(String what, String who) {
        return ENTRIES.stream().filter(e -> e.what.equals(what) && e.who.equals(who)).count();
    }

    public static Optional<Entry> first(String what, String who) {
        return ENTRIES.stream().filter(e -> e.what.equals(what) && e.who.equals(who)).findFirst();
    }

    /** Sequence number of the first {@code what} about {@code who}; fails if there is none. */
    public static long seq(String what, String who) {
        return first(what, who).orElseThrow(() -> new AssertionError("no '" + what + "' recorded for " + who
                + "; recorded: " + ENTRIES)).seq;
    }

    /** Waits until an entry matching {@code test} is recorded, at most {@code timeout}. */
    public static boolean await(Predicate<Entry> test, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (ENTRIES) {
            while (ENTRIES.stream().noneMatch(test)) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(ENTRIES, left); // woken by record()
            }
            return true;
        }
    }

    public static boolean await(String what, String who, Duration timeout) throws InterruptedException {
        return await(e -> e.what.equals(what) && e.who.equals(who), timeout);
    }

    /** Blocks until the test {@linkplain #open opens} the gate, at most {@code timeout}. */
    public static boolean waitAtGate(String gate, Duration timeout) {
        try {
            return GATES.computeIfAbsent(gate, g -> new CountDownLatch(1)).await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Waits at {@code gate} like {@link #waitAtGate} but goes on waiting when interrupted (a stop
     * that ignores interrupts); restores the interrupt status before it returns.
     */
    public static boolean waitAtGateIgnoringInterrupts(String gate, Duration timeout) {
        CountDownLatch latch = GATES.computeIfAbsent(gate, g -> new CountDownLatch(1));
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return latch.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public static void open(String gate) {
        GATES.computeIfAbsent(gate, g -> new CountDownLatch(1)).countDown();
    }

    /**
     * Arrives at a meeting point for {@code parties} and waits for all of them, at most
     * {@code timeout}; true if all arrived in time. Returns false at once when the parties run
     * one after another (the first waits out the timeout).
     */
    public static boolean meet(String point, int parties, Duration timeout) {
        CountDownLatch latch = RENDEZVOUS.computeIfAbsent(point, p -> new CountDownLatch(parties));
        latch.countDown();
        try {
            return latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Opens every gate and meeting point so nothing a test started stays blocked. */
    static void releaseAll() {
        GATES.values().forEach(CountDownLatch::countDown);
        RENDEZVOUS.values().forEach(l -> {
            while (l.getCount() > 0) {
                l.countDown();
            }
        });
    }

    static void reset() {
        releaseAll();
        GATES.clear();
        RENDEZVOUS.clear();
        ENTRIES.clear();
    }

    @Override
    public String toString() {
        return new ArrayList<>(ENTRIES).toString();
    }
}
