package dev.breaker.worker;

import java.time.Duration;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Test helpers: bounded polling and live-thread checks. */
final class Threads {
    private Threads() {
    }

    /** Polls {@code condition} every 5 ms for at most {@code max}. */
    static void await(String what, Duration max, BooleanSupplier condition) {
        long end = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                fail("timed out waiting for: " + what);
            }
            try {
                Thread.sleep(5); // polling interval, not synchronisation
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    /** Live platform threads of the graph. */
    static Set<String> workerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith("breaker-worker-"))
                .collect(Collectors.toSet());
    }

    /** Live threads, not counting the JDK's and the Breaker's shared threads, which come and go on their own. */
    static int liveThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> !t.getName().equals("breaker-timer"))
                .filter(t -> !t.getName().startsWith("ForkJoinPool-")) // virtual-thread carriers (JDK 21+)
                .count();
    }

    /** Waits (bounded) until no graph thread is alive and the live count is back to {@code baseline}. */
    static void assertNoneLeft(int baseline) {
        try {
            await("no breaker-worker thread alive", Duration.ofSeconds(10), () -> workerThreads().isEmpty());
            await("live threads back to " + baseline, Duration.ofSeconds(10), () -> liveThreads() <= baseline);
        } catch (AssertionError e) {
            assertEquals(Set.of(), workerThreads(), e.getMessage());
            throw e;
        }
    }
}
