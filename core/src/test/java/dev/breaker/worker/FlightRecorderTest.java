package dev.breaker.worker;

import dev.breaker.Breaker;
import dev.breaker.worker.internal.GraphEngine;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Records a real start, restart and shutdown of a worker graph, and breaker trips, with Flight
 * Recorder, and finds every event with plausible durations (lower bounds that the code under
 * test sets; upper bounds only against nonsense, never a speed requirement).
 */
@Timeout(120)
class FlightRecorderTest {
    static {
        QuietLogs.apply();
    }

    private static final Duration SLOW_START = Duration.ofMillis(40);
    private static final Duration SLOW_STOP = Duration.ofMillis(60);
    private static final Duration HUNG_TIMEOUT = Duration.ofMillis(150);
    private static final Duration NONSENSE = Duration.ofSeconds(60);

    @Test
    void aRecordedStartRestartAndShutdownHasEveryEvent(@TempDir Path dir) throws Exception {
        CountDownLatch restarted = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch never = new CountDownLatch(1);
        WorkerGraph graph = WorkerGraph.builder()
                .worker(WorkerSpec.builder("db")
                        .onStart(ctx -> Breaker.byTimeout(SLOW_START).await())
                        .onStop(ctx -> { }).build())
                .worker(WorkerSpec.builder("http").dependsOn("db")
                        .onStart(ctx -> { })
                        .onStop(ctx -> Breaker.byTimeout(SLOW_STOP).await()).build())
                .worker(WorkerSpec.builder("hung").dependsOn("db")
                        .onStart(ctx -> { })
                        .onStop(ctx -> never.await()) // interrupted when given up on
                        .stopTimeout(HUNG_TIMEOUT).build())
                .worker(WorkerSpec.builder("poller").dependsOn("db")
                        .routine(stop -> {
                            if (runs.incrementAndGet() == 1) {
                                throw new IllegalStateException("first run fails");
                            }
                            restarted.countDown();
                            stop.await();
                        })
                        .onError(Policy.RESTART).backoff(Duration.ofMillis(30), Duration.ofMillis(30)).build())
                .build();

        List<RecordedEvent> events;
        ShutdownReport report;
        try (Recording r = new Recording()) {
            r.enable("dev.breaker.WorkerStart");
            r.enable("dev.breaker.WorkerStop");
            r.enable("dev.breaker.WorkerRestart");
            r.enable("dev.breaker.GraphStart");
            r.enable("dev.breaker.GraphStop");
            r.enable("dev.breaker.ShutdownAnnounced");
            r.start();
            graph.start();
            assertTrue(restarted.await(30, TimeUnit.SECONDS), "the routine did not restart");
            GraphEngine.recordAnnouncement("test", Duration.ofSeconds(3));
            report = graph.shutdown();
            r.stop();
            Path file = dir.resolve("graph.jfr");
            r.dump(file);
            events = RecordingFile.readAllEvents(file);
        } finally {
            never.countDown();
        }
        assertEquals(java.util.Set.of("hung"), report.timedOut());

        // every start, with its outcome; the slow one took at least what it waited
        List<RecordedEvent> starts = named(events, "dev.breaker.WorkerStart");
        assertEquals(List.of("(jobs)", "db", "http", "hung", "poller"), workers(starts));
        for (RecordedEvent e : starts) {
            assertEquals("STARTED", e.getString("outcome"), e::toString);
            assertFalse(e.getBoolean("abandoned"));
            plausible(e, Duration.ZERO);
        }
        RecordedEvent dbStart = one(starts, "db");
        plausible(dbStart, SLOW_START);

        RecordedEvent graphStart = one(named(events, "dev.breaker.GraphStart"), null);
        assertEquals(5, graphStart.getInt("workers"));
        assertEquals("STARTED", graphStart.getString("outcome"));
        plausible(graphStart, SLOW_START);
        assertTrue(graphStart.getString("criticalPath").startsWith("db ("), graphStart::toString);
        assertTrue(graphStart.getString("criticalPath").endsWith(" > (jobs) (0 ms)")
                || graphStart.getString("criticalPath").matches(".* > \\(jobs\\) \\(\\d+ ms\\)"), graphStart::toString);

        RecordedEvent restart = one(named(events, "dev.breaker.WorkerRestart"), "poller");
        assertEquals(1, restart.getInt("restart"));
        assertTrue(restart.getString("cause").contains("first run fails"), restart::toString);
        plausible(restart, Duration.ofMillis(30)); // the back-off

        RecordedEvent announced = one(named(events, "dev.breaker.ShutdownAnnounced"), null);
        assertEquals("test", announced.getString("by"));
        assertEquals(3000, announced.getLong("readinessDelay"));

        // every stop: the slow one, the hung one (given up on at its timeout), and order
        List<RecordedEvent> stops = named(events, "dev.breaker.WorkerStop");
        assertEquals(List.of("(jobs)", "db", "http", "hung", "poller"), workers(stops));
        RecordedEvent http = one(stops, "http");
        assertEquals("STOPPED", http.getString("outcome"));
        plausible(http, SLOW_STOP);
        RecordedEvent hung = one(stops, "hung");
        assertEquals("TIMED_OUT", hung.getString("outcome"));
        assertTrue(hung.getBoolean("abandoned"));
        assertTrue(hung.getString("failure").contains("TimeoutException"), hung::toString);
        plausible(hung, HUNG_TIMEOUT);
        RecordedEvent db = one(stops, "db");
        assertEquals("STOPPED", db.getString("outcome"));
        assertFalse(db.getStartTime().isBefore(hung.getEndTime()), "db stopped before its dependent hung was given up on");
        assertFalse(db.getStartTime().isBefore(http.getEndTime()), "db stopped before its dependent http");

        RecordedEvent graphStop = one(named(events, "dev.breaker.GraphStop"), null);
        assertFalse(graphStop.getBoolean("clean"));
        assertEquals("hung", graphStop.getString("timedOut"));
        plausible(graphStop, HUNG_TIMEOUT);
        plausible(graphStop, report.elapsed()); // the event spans the report's elapsed time
        assertTrue(graphStop.getString("criticalPath").matches("\\(jobs\\) \\(\\d+ ms\\) > hung \\(\\d+ ms\\) > db \\(\\d+ ms\\)"),
                graphStop::toString);
    }

    @Test
    void tripsLongerThanTheThresholdAreRecordedWithTheirLifeTime(@TempDir Path dir) throws Exception {
        List<RecordedEvent> events;
        try (Recording r = new Recording()) {
            r.enable("dev.breaker.BreakerTripped"); // its default threshold: 20 ms
            r.start();
            for (int i = 0; i < 1000; i++) {
                Breaker.manual().close(); // request breakers living far less than 20 ms
            }
            Breaker timeout = Breaker.byTimeout(Duration.ofMillis(40));
            Breaker parent = Breaker.manual();
            Breaker child = Breaker.multiplex(parent);
            timeout.await();
            Breaker.byTimeout(Duration.ofMillis(25)).await(); // lets the child live past the threshold
            parent.close();
            assertTrue(child.isBroken());
            r.stop();
            Path file = dir.resolve("trips.jfr");
            r.dump(file);
            events = RecordingFile.readAllEvents(file);
        }
        List<RecordedEvent> trips = named(events, "dev.breaker.BreakerTripped");
        for (RecordedEvent e : trips) {
            assertTrue(e.getDuration().compareTo(Duration.ofMillis(20)) >= 0, () -> "under the threshold: " + e);
        }
        RecordedEvent t = trips.stream().filter(e -> e.getString("kind").equals("TIMEOUT")
                && e.getString("reason").equals("timeout PT0.04S")).findFirst().orElseThrow(() -> new AssertionError(trips));
        assertEquals("timed", t.getString("breaker"));
        plausible(t, Duration.ofMillis(40));
        RecordedEvent c = trips.stream().filter(e -> e.getString("kind").equals("CHILD")).findFirst()
                .orElseThrow(() -> new AssertionError(trips));
        assertEquals("multiplex", c.getString("breaker"));
        assertEquals("child #0: closed", c.getString("reason"));
        plausible(c, Duration.ofMillis(65));
        assertTrue(trips.stream().anyMatch(e -> e.getString("kind").equals("CLOSED") && e.getString("breaker").equals("manual")
                && e.getDuration().compareTo(Duration.ofMillis(65)) >= 0), trips::toString);
    }

    @Test
    void withNoThresholdEveryTripIsRecorded(@TempDir Path dir) throws Exception {
        List<RecordedEvent> events;
        try (Recording r = new Recording()) {
            r.enable("dev.breaker.BreakerTripped").withThreshold(Duration.ZERO);
            r.start();
            for (int i = 0; i < 1000; i++) {
                Breaker.manual().close();
            }
            r.stop();
            Path file = dir.resolve("all.jfr");
            r.dump(file);
            events = RecordingFile.readAllEvents(file);
        }
        long closed = named(events, "dev.breaker.BreakerTripped").stream()
                .filter(e -> e.getString("kind").equals("CLOSED") && e.getString("breaker").equals("manual")).count();
        assertTrue(closed >= 1000, "only " + closed + " of 1000 closes recorded");
    }

    @Test
    void aBreakerCreatedBeforeRecordingBeganIsNotRecorded(@TempDir Path dir) throws Exception {
        Breaker before = Breaker.manual();
        List<RecordedEvent> events;
        try (Recording r = new Recording()) {
            r.enable("dev.breaker.BreakerTripped").withThreshold(Duration.ZERO);
            r.start();
            before.close();
            r.stop();
            Path file = dir.resolve("before.jfr");
            r.dump(file);
            events = RecordingFile.readAllEvents(file);
        }
        // its life time is unknown: it carries no event, and its trip costs nothing
        assertEquals(List.of(), named(events, "dev.breaker.BreakerTripped"));
    }

    /**
     * A continuous recording with the JDK's default settings leaves the trip event off (each
     * breaker made while it is on pays for its life time).
     */
    @Test
    void theJdksDefaultSettingsLeaveTheTripEventOff(@TempDir Path dir) throws Exception {
        List<RecordedEvent> events;
        try (Recording r = new Recording(jdk.jfr.Configuration.getConfiguration("default"))) {
            r.start();
            Breaker.byTimeout(Duration.ofMillis(30)).await(); // above the 20 ms threshold
            r.stop();
            Path file = dir.resolve("default.jfr");
            r.dump(file);
            events = RecordingFile.readAllEvents(file);
        }
        assertEquals(List.of(), named(events, "dev.breaker.BreakerTripped"));
    }

    private static List<RecordedEvent> named(List<RecordedEvent> events, String type) {
        return events.stream().filter(e -> e.getEventType().getName().equals(type)).collect(Collectors.toList());
    }

    private static List<String> workers(List<RecordedEvent> events) {
        return events.stream().map(e -> e.getString("worker")).sorted().collect(Collectors.toList());
    }

    /** The one event (of {@code worker}, if not null). */
    private static RecordedEvent one(List<RecordedEvent> events, String worker) {
        List<RecordedEvent> found = events.stream().filter(e -> worker == null || worker.equals(e.getString("worker")))
                .collect(Collectors.toList());
        assertEquals(1, found.size(), () -> worker + ": " + events);
        return found.get(0);
    }

    /** At least {@code atLeast} (minus the 1 ms of the timer's tick), less than a minute. */
    private static void plausible(RecordedEvent e, Duration atLeast) {
        Duration d = e.getDuration();
        assertTrue(d.compareTo(atLeast.minusMillis(1)) >= 0, () -> "shorter than " + atLeast + ": " + e);
        assertTrue(d.compareTo(NONSENSE) < 0, () -> "longer than a minute: " + e);
    }
}
