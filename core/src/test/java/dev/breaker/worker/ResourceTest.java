package dev.breaker.worker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Bound resources close after their worker and its dependents stopped, last bound first. */
@Timeout(60)
class ResourceTest {
    static {
        QuietLogs.apply();
    }

    @Test
    void closingOrder() {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        WorkerGraph graph = WorkerGraph.builder()
                .worker(WorkerSpec.builder("db")
                        .bind(() -> log.add("close db-1"))
                        .bind(() -> log.add("close db-2"))
                        .onStart(ctx -> ctx.bind(() -> log.add("close db-3")))
                        .onStop(ctx -> log.add("stop db")).build())
                .worker(WorkerSpec.builder("http").dependsOn("db")
                        .bind(() -> log.add("close http-1"))
                        .onStop(ctx -> log.add("stop http")).build())
                .build();
        graph.bind(() -> log.add("close graph-1"));
        graph.bind(() -> log.add("close graph-2"));
        graph.start();
        assertEquals(List.of(), log);
        graph.shutdown();
        assertEquals(List.of("stop http", "close http-1", "stop db", "close db-3", "close db-2", "close db-1",
                "close graph-2", "close graph-1"), log);
    }

    @Test
    void closeFailuresAreReportedAndDoNotStopOtherCloses() {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        IOException first = new IOException("first");
        IOException second = new IOException("second");
        IOException graphFailure = new IOException("graph");
        WorkerGraph graph = WorkerGraph.builder()
                .worker(WorkerSpec.builder("db")
                        .bind(() -> log.add("close db-1"))
                        .bind(() -> {
                            throw second;
                        })
                        .bind(() -> {
                            throw first;
                        }).build())
                .build();
        graph.bind(() -> {
            throw graphFailure;
        });
        graph.start();
        ShutdownReport report = graph.shutdown();
        assertSame(first, report.failures().get("db"));
        assertEquals(List.of(second), List.of(first.getSuppressed()));
        assertSame(graphFailure, report.failures().get("(graph)"));
        assertEquals(List.of("close db-1"), log);
    }

    @Test
    void bindingAfterCloseClosesAtOnceAndThrows() {
        List<String> log = new ArrayList<>();
        WorkerGraph graph = WorkerGraph.builder().build();
        graph.start();
        graph.shutdown();
        assertThrows(IllegalStateException.class, () -> graph.bind(() -> log.add("closed")));
        assertEquals(List.of("closed"), log);
    }
}
