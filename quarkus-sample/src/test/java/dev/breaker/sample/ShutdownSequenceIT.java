package dev.breaker.sample;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shutdown sequence a load balancer needs, on one instance of the packaged application (H2,
 * the shipped default) with {@value #CLIENTS} clients posting back to back, each over a keep-alive
 * connection of its own, and a probe polling readiness: at SIGTERM readiness goes DOWN at once
 * (the library's own check included); for {@code breaker.shutdown.readiness-delay} the service
 * goes on accepting events, telling every client to close its connection; after it, a request
 * gets a 503 with {@code Retry-After} or a complete response followed by a clean close, never a
 * refused or reset connection or no answer while the process is up; the process exits 0 and every
 * acknowledged event is stored once.
 */
class ShutdownSequenceIT {
    static final int CLIENTS = 8;
    static final Duration DELAY = Duration.ofSeconds(2);
    /** Generous, for a loaded 2-core machine: the delay itself is 20 times the ~100 ms target. */
    static final Duration DOWN_WITHIN = Duration.ofMillis(1000);
    /** Slack around the delay's end: the signal's delivery, the JVM's reaction, the clock reads. */
    static final Duration EDGE = Duration.ofMillis(300);
    static final Pattern LIBRARY_DOWN = Pattern.compile("\"name\"\\s*:\\s*\"breaker-workers\"\\s*,\\s*\"status\"\\s*:\\s*\"DOWN\"");

    private final List<SampleProcess> apps = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        apps.forEach(SampleProcess::close);
    }

    @Test
    void sigtermTakesTheInstanceOutOfRotationBeforeItStopsAccepting() throws Exception {
        Path work = Files.createDirectories(Path.of(System.getProperty("sample.work.dir", "target/it")));
        Path dir = Files.createTempDirectory(work, "ShutdownSequenceIT-");
        SampleProcess app = SampleProcess.start(dir, "app", Map.of("breaker.shutdown.readiness-delay", DELAY.toMillis() + "ms"));
        apps.add(app);
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", app.port());
        AtomicLong exitNanos = new AtomicLong();
        app.process.onExit().thenRun(() -> exitNanos.set(System.nanoTime()));

        KeepAliveClient clients = new KeepAliveClient("drain", address, CLIENTS, Duration.ZERO, true, false);
        ReadinessProbe probe = new ReadinessProbe(address);
        awaitTrue(() -> clients.acceptedCount() >= 300 && probe.sawUp(), Duration.ofSeconds(120),
                () -> "clients and probe warming up: " + clients.acceptedCount() + " accepted, probe " + probe.polls);

        long signal = System.nanoTime();
        java.time.Instant signalWallClock = java.time.Instant.now();
        app.sigterm();
        int exit = app.awaitExit(Duration.ofSeconds(60));
        long exited = exitNanos.get() != 0 ? exitNanos.get() : System.nanoTime();
        clients.close();
        probe.close();

        List<Exchange> all = clients.exchanges();
        Predicate<Exchange> failure = e -> e.outcome() == Exchange.Outcome.RESET || e.outcome() == Exchange.Outcome.NO_RESPONSE
                || e.outcome() == Exchange.Outcome.TIMEOUT
                || (e.outcome() == Exchange.Outcome.REFUSED && e.doneNanos() < exited);
        List<Exchange> failures = all.stream().filter(failure).toList();
        List<Exchange> afterSignal = all.stream().filter(e -> e.sentNanos() >= signal).toList();
        long delayEnd = signal + DELAY.toNanos();
        List<Exchange> duringDelay = afterSignal.stream().filter(e -> e.sentNanos() < delayEnd - EDGE.toNanos()).toList();
        List<Exchange> afterDelay = afterSignal.stream().filter(e -> e.sentNanos() >= delayEnd - EDGE.toNanos()).toList();
        long firstDown = probe.firstLibraryDown(signal);
        long firstRefusal = all.stream().filter(e -> e.outcome() == Exchange.Outcome.REFUSED && e.sentNanos() >= signal)
                .mapToLong(Exchange::doneNanos).min().orElse(-1);
        List<Exchange> keptOpen = afterSignal.stream()
                .filter(e -> firstDown > 0 && e.sentNanos() > firstDown && e.outcome() == Exchange.Outcome.RESPONSE
                        && !(e.connectionClose() && e.closedCleanly()))
                .toList();

        System.out.printf("ShutdownSequenceIT: SIGTERM with %d clients, readiness delay %s: exit %d after %d ms;"
                        + " library readiness DOWN after %s; first refused connection %s; %d exchanges after the signal %s"
                        + " (during the delay %s; from its end %s); failures %d %s; responses after DOWN without a clean"
                        + " Connection: close %d; signal at %s, readiness probe after it: %s%n",
                CLIENTS, DELAY, exit, ms(exited - signal), firstDown > 0 ? ms(firstDown - signal) + " ms" : "never",
                firstRefusal > 0 ? ms(firstRefusal - signal) + " ms after the signal, " + ms(exited - firstRefusal)
                        + " ms before the exit" : "none while up",
                afterSignal.size(), tally(afterSignal), tally(duringDelay), tally(afterDelay), failures.size(),
                failures.stream().limit(5).toList(), keptOpen.size(), signalWallClock, probe.summary(signal));

        Map<String, Integer> stored = storedIds(dir);
        List<String> missing = all.stream().filter(Exchange::accepted).map(Exchange::id)
                .filter(id -> stored.getOrDefault(id, 0) != 1).toList();
        List<Executable> checks = new ArrayList<>();
        checks.add(() -> assertEquals(0, exit, "exit code after SIGTERM; log: " + app.log));
        checks.add(() -> assertTrue(firstDown > 0 && firstDown - signal <= DOWN_WITHIN.toNanos(),
                "the library's readiness check answers DOWN within " + DOWN_WITHIN + " of SIGTERM: "
                        + (firstDown > 0 ? ms(firstDown - signal) + " ms" : "never") + "; probe after the signal: " + probe.summary(signal)));
        checks.add(() -> assertTrue(duringDelay.size() >= 10 && duringDelay.stream().allMatch(Exchange::accepted),
                "during the readiness delay every request is accepted (202): " + tally(duringDelay)));
        checks.add(() -> assertTrue(afterDelay.stream().allMatch(e -> e.accepted() || e.politeRefusal()
                        || (e.outcome() == Exchange.Outcome.REFUSED && e.doneNanos() >= exited)),
                "from the delay's end: 202 or 503 with Retry-After while the process is up: " + tally(afterDelay)));
        checks.add(() -> assertTrue(afterDelay.stream().anyMatch(Exchange::politeRefusal),
                "once the delay is over, new requests are refused with 503 + Retry-After: " + tally(afterDelay)));
        checks.add(() -> assertTrue(failures.isEmpty(), failures.size()
                + " requests reset, refused while the process was up, or without a response, e.g. " + failures.stream().limit(5).toList()));
        checks.add(() -> assertTrue(keptOpen.isEmpty(), keptOpen.size()
                + " responses after readiness went DOWN without Connection: close and a clean close, e.g. " + keptOpen.stream().limit(3).toList()));
        checks.add(() -> assertTrue(missing.isEmpty(), missing.size() + " acknowledged events not stored exactly once, e.g. "
                + missing.stream().limit(5).toList()));
        assertAll(checks);
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** Polls {@code GET /q/health/ready} on new connections, paced, until closed; keeps every answer. */
    static final class ReadinessProbe implements AutoCloseable {
        record Poll(long nanos, int status, boolean libraryDown, String error) {
        }

        final List<Poll> polls = new CopyOnWriteArrayList<>();
        private final Thread thread;
        private volatile boolean stop;

        ReadinessProbe(InetSocketAddress address) {
            thread = new Thread(() -> {
                while (!stop) {
                    try {
                        KeepAliveClient.Response r = KeepAliveClient.once(address, "GET", "/q/health/ready");
                        polls.add(new Poll(r.doneNanos(), r.status(), LIBRARY_DOWN.matcher(r.body()).find(), null));
                    } catch (KeepAliveClient.Failure f) {
                        polls.add(new Poll(System.nanoTime(), 0, false, f.outcome + ": " + f.getMessage()));
                    }
                    try {
                        TimeUnit.MILLISECONDS.sleep(10); // the probe's pace, not synchronisation
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "readiness-probe");
            thread.setDaemon(true);
            thread.start();
        }

        /** The first polls after {@code since}, then every change of answer. */
        String summary(long since) {
            List<String> out = new ArrayList<>();
            String last = null;
            for (Poll p : polls) {
                if (p.nanos < since) {
                    continue;
                }
                String what = p.error != null ? p.error : p.status + (p.libraryDown ? " breaker-workers DOWN" : "");
                if (!what.equals(last)) {
                    out.add("+" + ms(p.nanos - since) + " ms: " + what);
                    last = what;
                }
            }
            return out.toString();
        }

        boolean sawUp() {
            return polls.stream().anyMatch(p -> p.status == 200);
        }

        /** When the probe first saw the library's check DOWN after {@code since}, or -1. */
        long firstLibraryDown(long since) {
            return polls.stream().filter(p -> p.nanos >= since && p.libraryDown).mapToLong(Poll::nanos).findFirst().orElse(-1);
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            thread.interrupt();
            thread.join(TimeUnit.SECONDS.toMillis(40));
        }
    }

    /** How many times each id is stored, inbox and events together (the H2 file, the application stopped). */
    static Map<String, Integer> storedIds(Path dir) throws Exception {
        Map<String, Integer> ids = new HashMap<>();
        try (Connection c = TestDatabase.h2(dir).connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id FROM events UNION ALL SELECT id FROM inbox")) {
            while (rs.next()) {
                ids.merge(rs.getString(1), 1, Integer::sum);
            }
        }
        return ids;
    }

    /** Outcomes by kind and status: {@code {RESPONSE 202=120, RESPONSE 503=8, REFUSED=3}}. */
    static Map<String, Long> tally(List<Exchange> exchanges) {
        return exchanges.stream().collect(Collectors.groupingBy(
                e -> e.outcome() + (e.status() > 0 ? " " + e.status() : ""), TreeMap::new, Collectors.counting()));
    }

    static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    static void awaitTrue(java.util.function.BooleanSupplier condition, Duration within, java.util.function.Supplier<String> state)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + within + ": " + state.get());
            }
            TimeUnit.MILLISECONDS.sleep(20); // polling a condition, bounded
        }
    }
}
