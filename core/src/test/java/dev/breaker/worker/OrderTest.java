package dev.breaker.worker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Recorded start and stop events respect every edge, in both directions. */
@Timeout(60)
class OrderTest {
    static {
        QuietLogs.apply();
    }


    private static void runAndCheck(WorkerGraph.Builder builder, Recorder rec, int expectedWorkers) {
        WorkerGraph graph = builder.listener(rec).build();
        graph.start();
        for (WorkerInfo i : graph.workers()) {
            assertEquals(WorkerState.RUNNING, i.state(), i.name());
        }
        ShutdownReport report = graph.shutdown();
        assertTrue(report.clean(), report.toString());
        assertEquals(expectedWorkers + 1, graph.workers().size()); // + the default job runner
        for (WorkerInfo i : graph.workers()) {
            assertEquals(WorkerState.STOPPED, i.state(), i.name());
            assertTrue(i.startDuration().isPresent() && i.stopDuration().isPresent(), i.name());
        }
        rec.assertEdgesRespected(graph);
        // the default job runner starts last and stops first
        List<WorkerEvent> events = rec.events();
        assertEquals(WorkerGraph.DEFAULT_JOBS, events.get(2 * (expectedWorkers + 1) - 1).worker());
        assertEquals(WorkerGraph.DEFAULT_JOBS, events.get(2 * (expectedWorkers + 1)).worker());
    }

    @Test
    void chain() {
        Recorder rec = new Recorder();
        runAndCheck(WorkerGraph.builder()
                .worker(WorkerSpec.builder("http").dependsOn("pipeline").build())
                .worker(WorkerSpec.builder("pipeline").dependsOn("db").build())
                .worker(WorkerSpec.builder("db").build()), rec, 3);
        assertEquals(List.of("NEW->STARTING", "STARTING->RUNNING", "RUNNING->STOPPING", "STOPPING->STOPPED"),
                rec.transitionsOf("db"));
        assertTrue(rec.indexOf("db", WorkerState.RUNNING) < rec.indexOf("pipeline", WorkerState.STARTING));
        assertTrue(rec.stopEnd("http") < rec.indexOf("pipeline", WorkerState.STOPPING));
    }

    @Test
    void diamond() {
        Recorder rec = new Recorder();
        runAndCheck(WorkerGraph.builder()
                .worker(WorkerSpec.builder("d").dependsOn("b", "c").build())
                .worker(WorkerSpec.builder("b").dependsOn("a").build())
                .worker(WorkerSpec.builder("c").dependsOn("a").build())
                .worker(WorkerSpec.builder("a").build()), rec, 4);
    }

    @Test
    void wide() {
        Recorder rec = new Recorder();
        WorkerGraph.Builder b = WorkerGraph.builder();
        for (int i = 0; i < 1000; i++) {
            b.worker(WorkerSpec.builder("w" + i).build());
        }
        runAndCheck(b, rec, 1000);
    }

    @Test
    void deep() {
        Recorder rec = new Recorder();
        WorkerGraph.Builder b = WorkerGraph.builder();
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            WorkerSpec.Builder s = WorkerSpec.builder("w" + i);
            if (i > 0) {
                s.dependsOn("w" + (i - 1));
            }
            String name = "w" + i;
            s.onStart(ctx -> {
                synchronized (order) {
                    order.add("start " + name);
                }
            });
            s.onStop(ctx -> {
                synchronized (order) {
                    order.add("stop " + name);
                }
            });
            b.worker(s.build());
        }
        runAndCheck(b, rec, 200);
        for (int i = 0; i < 200; i++) {
            assertEquals("start w" + i, order.get(i));
            assertEquals("stop w" + (199 - i), order.get(200 + i));
        }
    }
}
