package dev.breaker.tck;

import dev.breaker.cdi.DependsOn;
import dev.breaker.cdi.Worker;
import dev.breaker.tck.dag.Dag100;
import dev.breaker.tck.fixtures.RecordingWorker;
import dev.breaker.tck.harness.Graphs;
import dev.breaker.tck.harness.Recorder;
import dev.breaker.tck.harness.Tck;
import dev.breaker.tck.harness.TckTest;
import dev.breaker.tck.spi.App;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Start and stop order on a chain, a diamond, a forest and a 100-node random DAG: every edge is
 * respected in both directions, and independent workers run at the same time (proved by a
 * meeting point both must reach before either may go on).
 */
public class OrderingTest extends TckTest {
    private static final Duration MEET = Duration.ofSeconds(5);

    @Worker
    public static class ChainA extends RecordingWorker {
    }

    @Worker
    @DependsOn(ChainA.class)
    public static class ChainB extends RecordingWorker {
    }

    @Worker
    @DependsOn(ChainB.class)
    public static class ChainC extends RecordingWorker {
    }

    @Test
    public void chainStartsFromTheBottomAndStopsFromTheTop() {
        Class<?>[] beans = {ChainC.class, ChainA.class, ChainB.class};
        App app = Tck.deploy(beans);
        assertEquals(List.of("ChainA", "ChainB", "ChainC"), Recorder.who("start-end"));
        app.shutdown();
        assertEquals(List.of("ChainC", "ChainB", "ChainA"), Recorder.who("stop-end"));
        Graphs.assertStopOrder(Graphs.edges(beans), beans);
    }

    /** Bottom, then Left and Right together, then Top; stopped the other way round. */
    @Worker
    public static class Bottom extends RecordingWorker {
    }

    @Worker
    @DependsOn(Bottom.class)
    public static class Left extends RecordingWorker {
        @Override
        protected void onStart() {
            Recorder.record(Recorder.meet("diamond-start", 2, MEET) ? "met" : "missed", "diamond-start");
        }

        @Override
        protected void onStop() {
            Recorder.record(Recorder.meet("diamond-stop", 2, MEET) ? "met" : "missed", "diamond-stop");
        }
    }

    @Worker
    @DependsOn(Bottom.class)
    public static class Right extends Left {
    }

    @Worker
    @DependsOn({Left.class, Right.class})
    public static class Top extends RecordingWorker {
    }

    @Test
    public void diamondRespectsEveryEdgeAndRunsTheMiddleInParallel() {
        Class<?>[] beans = {Top.class, Left.class, Right.class, Bottom.class};
        App app = Tck.deploy(beans);
        List<Graphs.Edge> edges = Graphs.edges(beans);
        assertEquals(4, edges.size(), edges::toString);
        Graphs.assertStartOrder(edges, beans);
        assertEquals(List.of("met", "met"), outcomes("diamond-start"), "Left and Right must start at the same time");
        app.shutdown();
        Graphs.assertStopOrder(edges, beans);
        assertEquals(List.of("met", "met"), outcomes("diamond-stop"), "Left and Right must stop at the same time");
    }

    @Worker
    public static class Root1 extends RecordingWorker {
        @Override
        protected void onStart() {
            Recorder.record(Recorder.meet("roots-start", 2, MEET) ? "met" : "missed", "roots-start");
        }

        @Override
        protected void onStop() {
            Recorder.record(Recorder.meet("roots-stop", 2, MEET) ? "met" : "missed", "roots-stop");
        }
    }

    @Worker
    public static class Root2 extends Root1 {
    }

    @Worker
    @DependsOn(Root1.class)
    public static class Leaf1a extends RecordingWorker {
    }

    @Worker
    @DependsOn(Root1.class)
    public static class Leaf1b extends RecordingWorker {
    }

    @Worker
    @DependsOn(Root2.class)
    public static class Leaf2 extends RecordingWorker {
    }

    @Worker
    public static class Alone extends RecordingWorker {
    }

    @Test
    public void forestOrdersEachTreeAndRunsTheTreesInParallel() {
        Class<?>[] beans = {Leaf2.class, Leaf1b.class, Root2.class, Alone.class, Leaf1a.class, Root1.class};
        App app = Tck.deploy(beans);
        List<Graphs.Edge> edges = Graphs.edges(beans);
        assertEquals(3, edges.size(), edges::toString);
        Graphs.assertStartOrder(edges, beans);
        assertEquals(List.of("met", "met"), outcomes("roots-start"), "the two roots must start at the same time");
        app.shutdown();
        Graphs.assertStopOrder(edges, beans);
        assertEquals(List.of("met", "met"), outcomes("roots-stop"), "the two roots must stop at the same time");
    }

    @Test
    public void randomDagOfAHundredWorkers() {
        App app = Tck.deploy(Dag100.ALL);
        List<Graphs.Edge> edges = Graphs.edges(Dag100.ALL);
        assertEquals(Dag100.EDGES, edges.size());
        Graphs.assertStartOrder(edges, Dag100.ALL);
        int startOverlap = Graphs.maxOverlap("start");
        app.shutdown();
        Graphs.assertStopOrder(edges, Dag100.ALL);
        assertTrue(startOverlap >= 2, "independent workers never started at the same time");
        assertTrue(Graphs.maxOverlap("stop") >= 2, "independent workers never stopped at the same time");
    }

    private static List<String> outcomes(String point) {
        return Recorder.entries().stream().filter(e -> e.who().equals(point)).map(Recorder.Entry::what).toList();
    }
}
