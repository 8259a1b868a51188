package dev.breaker.bench;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs every benchmark once, in-process and with tiny parameters, so that {@code ./mvnw verify}
 * proves they still compile, set up, run and tear down. The numbers mean nothing.
 */
class BenchmarksSmokeTest {
    /** Held so that the setting survives (java.util.logging keeps loggers weakly). */
    private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger("dev.breaker");

    @org.junit.jupiter.api.BeforeAll
    static void quiet() {
        QUIET.setLevel(java.util.logging.Level.WARNING); // the graph logs every start and stop at INFO
        java.util.logging.Logger.getLogger("org.jboss.weld").setLevel(java.util.logging.Level.WARNING);
    }

    private static OptionsBuilder smoke(String include) {
        OptionsBuilder o = new OptionsBuilder();
        o.include(include)
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(50))
                .threads(1)
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT);
        return o;
    }

    private static Collection<RunResult> run(Options options) throws Exception {
        Collection<RunResult> results = new Runner(options).run();
        assertTrue(!results.isEmpty(), "no benchmark ran");
        for (RunResult r : results) {
            assertTrue(r.getPrimaryResult().getSampleCount() > 0, r.getParams().getBenchmark());
        }
        return results;
    }

    @Test
    void timeoutBenchmarks() throws Exception {
        Collection<RunResult> r = run(smoke(TimeoutBenchmark.class.getName()).param("pending", "0", "1000").build());
        assertEquals(3 * 2, r.size());
    }

    @Test
    void peerTimeoutBenchmarks() throws Exception {
        Collection<RunResult> r = run(smoke(PeerTimeoutBenchmark.class.getName())
                .param("pending", "0", "1000").param("timeout", "2s", "10-20min").build());
        assertEquals(4 * 2 * 2, r.size());
    }

    @Test
    void farPendingLatencyBenchmark() throws Exception {
        assertEquals(2, run(smoke(FarPendingLatencyBenchmark.class.getName()).param("pending", "0", "1000").build()).size());
    }

    @Test
    void breakerOperationBenchmarks() throws Exception {
        assertEquals(5, run(smoke(BreakerOpsBenchmark.class.getName()).build()).size());
    }

    @Test
    void tripEventBenchmarks() throws Exception {
        assertEquals(3 * 3, run(smoke(TripEventBenchmark.class.getName()).build()).size());
    }

    @Test
    void multiplexBenchmarks() throws Exception {
        assertEquals(3 * 3, run(smoke(MultiplexBenchmark.class.getName()).build()).size());
    }

    @Test
    void workBenchmarks() throws Exception {
        // 5 JDBC + 3 retry x 2 kinds of work + 4 permits + remaining()
        assertEquals(5 + 3 * 2 + 4 + 1, run(smoke(WorkBenchmark.class.getName()).build()).size());
    }

    @Test
    void shutdownBenchmarks() throws Exception {
        assertEquals(4 * 2 * 5, run(smoke(ShutdownBenchmark.class.getName()).param("stopMillis", "1").param("logs", "warning").build()).size());
    }

    @Test
    void cdiBootBenchmarks() throws Exception {
        assertEquals(3, run(smoke(CdiBootBenchmark.class.getName()).param("workers", "20").param("logs", "warning")
                .measurementIterations(1).build()).size());
    }

    @Test
    void shutdownShapes() throws Exception {
        ShutdownShapes.main(new String[] {"1"});
    }

    @Test
    void retainedHeapMeasurement() throws Exception {
        RetainedHeap.main(new String[] {"2000"});
    }

    @Test
    void idleTimerCpuMeasurement() throws Exception {
        IdleTimerCpu.main(new String[] {"1000", "0.05"});
    }

    @Test
    void latenessMeasurement() throws Exception {
        Lateness.main(new String[] {"1000", "20", "2"});
    }

    @Test
    void peerLatenessMeasurement(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        // 2,000 timeouts over 100 ms, 20 ms ahead; one round after the warm-up; 0.1 s idle
        PeerLateness.Report report = PeerLateness.measure(2_000, 1, 20, 100, 0.1, false);
        assertEquals(5, report.kinds.size());
        for (int k = 0; k < report.kinds.size(); k++) {
            String name = report.kinds.get(k).name;
            Map<String, Object> m = report.byKind.get(k).get(0);
            assertEquals(2_000, num(m, "fired"), name + ": every timeout fired, each once");
            assertTrue(num(m, "minMs") >= 0, name + ": a timeout fired before it was due");
            assertTrue(num(m, "p50Ms") <= num(m, "p99Ms") && num(m, "p99Ms") <= num(m, "p999Ms")
                    && num(m, "p999Ms") <= num(m, "maxMs"), name + ": percentiles out of order");
            assertTrue(num(m, "timerCpuMs") > 0, name + ": no CPU on the mechanism's threads (renamed?)");
            assertTrue(num(m, "idleCpuNsPerS") >= 0, name);
        }
        Path json = dir.resolve("peer-lateness.json");
        PeerLateness.write(report, json.toString());
        String text = Files.readString(json);
        assertTrue(text.contains("\"peer\": \"breaker\"") && text.contains("\"peer\": \"netty1ms\""), text);
    }

    private static double num(Map<String, Object> m, String metric) {
        return ((Number) m.get(metric)).doubleValue();
    }
}
