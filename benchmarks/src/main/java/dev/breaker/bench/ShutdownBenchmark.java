package dev.breaker.bench;

import dev.breaker.worker.ShutdownReport;
import dev.breaker.worker.WorkerGraph;
import dev.breaker.worker.WorkerSpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Shutdown wall time of a graph whose every stop sleeps ({@code stop = fixed}: {@code stopMillis}
 * each; {@code stop = random}: a pre-generated 0.5-1.5 × {@code stopMillis} each, fixed seed),
 * three ways:
 * <ul>
 *   <li>{@code workerGraph}: {@code WorkerGraph.shutdown()} of a started graph (built and started
 *       before each invocation, outside the measurement);</li>
 *   <li>{@code sequential}: every stop one after the other, in reverse start order;</li>
 *   <li>{@code springPhases}: Spring's phase-by-phase stop, each phase in parallel, hand-written
 *       ({@link Stops#phased});</li>
 *   <li>{@code springLifecycle}: the real thing, {@code close()} of a Spring
 *       {@code GenericApplicationContext} of asynchronous {@code SmartLifecycle} beans
 *       ({@link SpringLifecycle}), started before each invocation; the beans stop on a pool
 *       that lives across invocations (so its threads are warm), a Spring user's most
 *       favourable set-up;</li>
 *   <li>{@code springLifecycleDefault}: the same with {@code SmartLifecycle}'s default
 *       {@code stop(Runnable)}, which stops each bean on the closing thread: what a Spring user
 *       gets without writing asynchronous stops.</li>
 * </ul>
 * The ideal is the critical path ({@link GraphShape#criticalPathNanos}, printed by
 * {@link ShutdownShapes}); the README gives every score as a ratio to it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
@Fork(1)
@State(Scope.Benchmark)
public class ShutdownBenchmark {
    @Param({"chain10", "diamond", "independent1000", "randomDag200"})
    String shape;

    @Param({"fixed", "random"})
    String stop;

    @Param({"5"})
    int stopMillis;

    /** Level of the library's loggers: {@code info} (the default, one line per start and stop) or {@code warning}. */
    @Param({"info"})
    String logs;

    private static final java.util.logging.Logger LIBRARY_LOGGER = java.util.logging.Logger.getLogger("dev.breaker");

    GraphShape graphShape;
    long[] stopNanos;
    int[] phases;
    int phaseCount;
    ExecutorService pool;
    WorkerGraph graph;
    org.springframework.context.support.GenericApplicationContext spring;

    @Setup(Level.Trial)
    public void setUp() {
        graphShape = GraphShape.named(shape);
        stopNanos = ShutdownShapes.stopNanos(graphShape, stop, stopMillis);
        phases = graphShape.stopPhases();
        for (int p : phases) {
            phaseCount = Math.max(phaseCount, p + 1);
        }
        pool = Stops.pool();
        LIBRARY_LOGGER.setLevel("warning".equals(logs) ? java.util.logging.Level.WARNING : java.util.logging.Level.INFO);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.shutdownNow();
    }

    /** Runs before each invocation of every method; only {@code workerGraph} needs it. */
    @Setup(Level.Invocation)
    public void startGraph(org.openjdk.jmh.infra.BenchmarkParams params) {
        if (params.getBenchmark().endsWith(".springLifecycle")) {
            spring = SpringLifecycle.started(graphShape, stopNanos, phases, pool);
            return;
        }
        if (params.getBenchmark().endsWith(".springLifecycleDefault")) {
            spring = SpringLifecycle.started(graphShape, stopNanos, phases, null);
            return;
        }
        if (!params.getBenchmark().endsWith(".workerGraph")) {
            return;
        }
        WorkerGraph.Builder b = WorkerGraph.builder().shutdownTimeout(Duration.ofMinutes(5));
        for (int i = 0; i < graphShape.size(); i++) {
            String[] deps = new String[graphShape.deps[i].length];
            for (int k = 0; k < deps.length; k++) {
                deps[k] = "w" + graphShape.deps[i][k];
            }
            long nanos = stopNanos[i];
            b.worker(WorkerSpec.builder("w" + i)
                    .dependsOn(deps)
                    .onStop(ctx -> Stops.sleep(nanos))
                    .stopTimeout(Duration.ofMinutes(5))
                    .build());
        }
        graph = b.build();
        graph.start();
    }

    @TearDown(Level.Invocation)
    public void stopGraph() {
        if (spring != null) {
            spring.close();
            spring = null;
        }
        if (graph != null) {
            graph.shutdown();
            graph = null;
        }
    }

    @Benchmark
    public ShutdownReport workerGraph() {
        return graph.shutdown();
    }

    @Benchmark
    public int springLifecycle() {
        spring.stop(); // DefaultLifecycleProcessor: phase by phase, highest first, each bean on the pool
        return phaseCount;
    }

    @Benchmark
    public int springLifecycleDefault() {
        spring.stop(); // SmartLifecycle's default stop(Runnable): the beans of a phase one by one
        return phaseCount;
    }

    @Benchmark
    public long sequential() {
        Stops.sequential(graphShape, stopNanos);
        return stopNanos.length;
    }

    @Benchmark
    public int springPhases() throws InterruptedException {
        Stops.phased(graphShape, stopNanos, phases, phaseCount, pool);
        return phaseCount;
    }
}
