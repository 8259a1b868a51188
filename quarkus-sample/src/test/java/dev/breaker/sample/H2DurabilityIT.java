package dev.breaker.sample;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The durability contract on the shipped default: embedded H2 in a file. */
class H2DurabilityIT extends DurabilityContract {
    @Override
    TestDatabase newDatabase(Path dir) {
        return TestDatabase.h2(dir);
    }

    /** Ctrl-C in a terminal: the same orderly stop as SIGTERM, and exit code 0 as the README says. */
    @Test
    void sigintStopsInOrderAndExitsZero() throws Exception {
        SampleProcess first = start("first", Map.of());
        Clients clients = new Clients(first.uri("/events"), 2);
        assertTrue(clients.awaitAccepted(100, Duration.ofSeconds(60)), "clients: " + clients);
        clients.faultComing();
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(first.process.pid())).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -INT failed");
        assertEquals(0, first.awaitExit(EXIT_WITHIN), "exit code after SIGINT; log: " + first.log);
        clients.close();
        assertStoppedInReverseOrder(first);
        SampleProcess second = start("second", Map.of());
        assertEveryAcknowledgedEventThereOnce(second, clients);
    }
}
