package dev.breaker.cdi;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The extension's part of the Flight Recorder events: the shutdown announcement, with what
 * announced it and the readiness delay, before the workers' stops.
 */
class FlightRecorderCdiTest {
    @Test
    void aContainerShutdownIsAnnouncedThenItsWorkersStop(@TempDir Path dir) throws Exception {
        List<RecordedEvent> events;
        try (Recording r = new Recording()) {
            r.enable("dev.breaker.ShutdownAnnounced");
            r.enable("dev.breaker.WorkerStop");
            r.enable("dev.breaker.GraphStop");
            r.start();
            try (TestConfig config = TestConfig.of("breaker.shutdown.readiness-delay", "50ms")) {
                WeldContainer container = Containers.weld(ShutdownPicturesTest.Store.class,
                        ShutdownPicturesTest.Api.class).initialize();
                container.close();
            }
            r.stop();
            Path file = dir.resolve("cdi.jfr");
            r.dump(file);
            events = RecordingFile.readAllEvents(file);
        }
        List<RecordedEvent> announced = named(events, "dev.breaker.ShutdownAnnounced");
        assertEquals(1, announced.size(), events::toString);
        RecordedEvent a = announced.get(0);
        assertEquals("the container is shutting down", a.getString("by"));
        assertEquals(50, a.getLong("readinessDelay"));
        List<RecordedEvent> stops = named(events, "dev.breaker.WorkerStop");
        assertEquals(List.of("(jobs)", "api", "store"), stops.stream().map(e -> e.getString("worker")).sorted()
                .collect(Collectors.toList()));
        for (RecordedEvent s : stops) { // the workers stop once the readiness delay has passed
            assertTrue(!s.getStartTime().isBefore(a.getStartTime().plus(Duration.ofMillis(49))), () -> s + " " + a);
            assertEquals("STOPPED", s.getString("outcome"));
        }
        assertEquals(1, named(events, "dev.breaker.GraphStop").size());
    }

    private static List<RecordedEvent> named(List<RecordedEvent> events, String type) {
        return events.stream().filter(e -> e.getEventType().getName().equals(type)).collect(Collectors.toList());
    }
}
