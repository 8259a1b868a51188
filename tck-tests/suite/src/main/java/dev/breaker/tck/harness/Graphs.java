package dev.breaker.tck.harness;

import dev.breaker.cdi.DependsOn;
import dev.breaker.cdi.Worker;
import dev.breaker.tck.fixtures.RecordingWorker;
import jakarta.inject.Inject;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Edges of a set of worker classes and assertions on the recorded start/stop order. */
public final class Graphs {
    private Graphs() {
    }

    /** A dependency: {@code worker} needs {@code dependency}. */
    public record Edge(String worker, String dependency) {
    }

    /** Every edge: {@code @DependsOn} entries and injected fields whose type is one of the workers. */
    public static List<Edge> edges(Class<?>... classes) {
        Set<Class<?>> workers = new HashSet<>();
        for (Class<?> c : classes) {
            if (c.isAnnotationPresent(Worker.class)) {
                workers.add(c);
            }
        }
        List<Edge> edges = new ArrayList<>();
        for (Class<?> w : workers) {
            DependsOn dependsOn = w.getAnnotation(DependsOn.class);
            if (dependsOn != null) {
                for (Class<?> d : dependsOn.value()) {
                    edges.add(new Edge(RecordingWorker.nameOf(w), RecordingWorker.nameOf(d)));
                }
            }
            for (Class<?> c = w; c != Object.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (f.isAnnotationPresent(Inject.class) && workers.contains(f.getType())) {
                        edges.add(new Edge(RecordingWorker.nameOf(w), RecordingWorker.nameOf(f.getType())));
                    }
                }
            }
        }
        return edges;
    }

    /** Each worker started exactly once, and each dependency finished starting before its dependant began. */
    public static void assertStartOrder(List<Edge> edges, Class<?>... workers) {
        for (Class<?> w : workers) {
            assertEquals(1, Recorder.count("start-end", RecordingWorker.nameOf(w)),
                    () -> RecordingWorker.nameOf(w) + " must start exactly once: " + Recorder.entries());
        }
        for (Edge e : edges) {
            assertTrue(Recorder.seq("start-end", e.dependency()) < Recorder.seq("start-begin", e.worker()),
                    () -> e.worker() + " began starting before its dependency " + e.dependency() + " had started");
        }
    }

    /** Each worker stopped exactly once, and each dependant finished stopping before its dependency began. */
    public static void assertStopOrder(List<Edge> edges, Class<?>... workers) {
        for (Class<?> w : workers) {
            assertEquals(1, Recorder.count("stop-end", RecordingWorker.nameOf(w)),
                    () -> RecordingWorker.nameOf(w) + " must stop exactly once: " + Recorder.entries());
        }
        for (Edge e : edges) {
            assertTrue(Recorder.seq("stop-end", e.worker()) < Recorder.seq("stop-begin", e.dependency()),
                    () -> e.dependency() + " began stopping before its dependant " + e.worker() + " had stopped");
        }
    }

    /** The largest number of {@code prefix}-begin/-end intervals open at once. */
    public static int maxOverlap(String prefix) {
        int open = 0;
        int max = 0;
        for (Recorder.Entry e : Recorder.entries()) {
            if (e.what().equals(prefix + "-begin")) {
                max = Math.max(max, ++open);
            } else if (e.what().equals(prefix + "-end")) {
                open--;
            }
        }
        return max;
    }
}
