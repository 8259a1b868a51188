package dev.breaker.cdi;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code breaker.shutdown.report-file}: the timeline of the shutdown written where the operator
 * asked; the graph logged at DEBUG at start; a bad path refused at deployment; a write that fails
 * at shutdown logged, never thrown.
 */
class ShutdownPicturesTest {
    @Worker
    static class Store {
        @PreDestroy
        void stop() {
            try {
                dev.breaker.Breaker.byTimeout(java.time.Duration.ofMillis(30)).await(); // a stop that takes time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Worker
    static class Api {
        @Inject
        Store store;

        void touch() {
        }
    }

    @Test
    void theShutdownTimelineIsWrittenToTheConfiguredFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("shutdown.md");
        List<String> log = new CopyOnWriteArrayList<>();
        try (LogCapture c = new LogCapture(log); TestConfig config = TestConfig.of("breaker.shutdown.report-file", file.toString())) {
            try (WeldContainer container = Containers.weld(Store.class, Api.class).initialize()) {
                assertFalse(Files.exists(file), "written before any shutdown");
            }
        }
        String text = Files.readString(file);
        assertTrue(text.startsWith("# Shutdown of "), text);
        assertTrue(text.contains("\n```mermaid\ngantt\n  title Shutdown in "), text);
        assertTrue(text.endsWith("```\n"), text);
        // store stops after api (it depends on nothing, api injects it) and took its 30 ms
        var bar = Pattern.compile("(?m)^  (store|api) (\\d+(?:\\.\\d)?) ms :done, s\\d+, (\\d+), (\\d+)$").matcher(text);
        java.util.Map<String, long[]> bars = new java.util.HashMap<>();
        while (bar.find()) {
            bars.put(bar.group(1), new long[] {(long) Double.parseDouble(bar.group(2)), Long.parseLong(bar.group(3)),
                    Long.parseLong(bar.group(4))});
        }
        assertEquals(java.util.Set.of("store", "api"), bars.keySet(), text);
        assertTrue(bars.get("store")[0] >= 29, text);
        assertTrue(bars.get("store")[1] >= bars.get("api")[1], text);
        assertEquals(1, log.stream().filter(m -> m.startsWith("BRKR031: ") && m.endsWith(file.toString())).count(),
                log::toString); // once, however many times the container asks to stop
        // at start, the graph at DEBUG: Mermaid and DOT, with the edge api -> store
        String mermaid = log.stream().filter(m -> m.contains("as Mermaid")).findFirst().orElseThrow(() -> new AssertionError(log));
        assertTrue(mermaid.contains("flowchart BT\n"), mermaid);
        String dot = log.stream().filter(m -> m.contains("as Graphviz DOT")).findFirst().orElseThrow(() -> new AssertionError(log));
        assertTrue(dot.contains("  \"api\" -> \"store\";\n"), dot);
    }

    @Test
    void aPathWhoseDirectoryIsMissingIsRefusedAtDeployment(@TempDir Path dir) {
        String missing = dir.resolve("no-such-dir").resolve("shutdown.md").toString();
        String messages;
        try (TestConfig config = TestConfig.of("breaker.shutdown.report-file", missing)) {
            messages = Containers.messages(assertThrows(Exception.class,
                    Containers.weld(Store.class, Api.class)::initialize));
        }
        assertTrue(messages.contains("BRKR004: invalid value '" + missing + "' for breaker.shutdown.report-file:"
                + " expected a file path in an existing directory, not a directory"), messages);
        String directory;
        try (TestConfig config = TestConfig.of("breaker.shutdown.report-file", dir.toString())) {
            directory = Containers.messages(assertThrows(Exception.class,
                    Containers.weld(Store.class, Api.class)::initialize));
        }
        assertTrue(directory.contains("BRKR004: invalid value '" + dir + "' for breaker.shutdown.report-file"), directory);
    }

    @Test
    void aTimelineThatCannotBeWrittenIsLoggedAndTheShutdownGoesOn(@TempDir Path dir) throws Exception {
        Path sub = Files.createDirectory(dir.resolve("gone"));
        Path file = sub.resolve("shutdown.mmd");
        List<String> log = new CopyOnWriteArrayList<>();
        try (LogCapture c = new LogCapture(log); TestConfig config = TestConfig.of("breaker.shutdown.report-file", file.toString())) {
            WeldContainer container = Containers.weld(Store.class, Api.class).initialize();
            Files.delete(sub); // after the deployment's check
            container.close();
            assertFalse(container.isRunning());
        }
        assertFalse(Files.exists(file));
        assertTrue(log.stream().anyMatch(m -> m.startsWith("BRKR030: the timeline of this shutdown could not be written to "
                + file + " (breaker.shutdown.report-file): ")), log::toString);
    }
}
