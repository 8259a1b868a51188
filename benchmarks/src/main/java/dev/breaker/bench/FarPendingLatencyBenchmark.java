package dev.breaker.bench;

import dev.breaker.Breaker;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Issue 10, item 5: the latency distribution (p99.9) of a 2 s create + close while 10^6
 * ten-hour timeouts wait, against an empty wheel. Each measurement iteration lasts 5 s, so every
 * iteration crosses at least one level-1 boundary (every 4.096 s): with an overflow list that
 * was rescanned there, create/close stalled for ~21 ms twice in 8 s.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 2, time = 5)
@State(Scope.Benchmark)
public class FarPendingLatencyBenchmark {
    private static final Duration REQUEST = Duration.ofSeconds(2);

    @Param({"0", "1000000"})
    int pending;

    Breaker[] far;

    @Setup(Level.Trial)
    public void setUp() {
        far = new Breaker[pending];
        for (int i = 0; i < pending; i++) {
            far[i] = Breaker.byTimeout(Duration.ofHours(10).plusMillis(i % 3_600_000));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (Breaker b : far) {
            b.close();
        }
    }

    @Benchmark
    public Breaker createAndClose() {
        Breaker b = Breaker.byTimeout(REQUEST);
        b.close();
        return b;
    }
}
