package dev.breaker.bench;

import dev.breaker.Breaker;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code Breaker.multiplex} over {@code children} breakers that stay live across operations (say
 * a shutdown breaker and a request timeout), next to {@code CompletableFuture.anyOf}.
 * <ul>
 *   <li>{@code close_breaker}: create over the live children, then close (the work finished):
 *       the multiplex must remove its action from every child. {@code anyOf} has no
 *       counterpart: completing its result leaves one node on every source for ever (measured:
 *       100,000 calls leave 100,000 dependents on each source), so there is no steady state to
 *       measure.</li>
 *   <li>{@code trip_breaker} / {@code trip_anyOf}: create over {@code children - 1} live children
 *       plus a fresh one made in the operation, then trip the fresh one, which trips the
 *       multiplex (cost of the fresh child included on both sides).</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@State(Scope.Benchmark)
public class MultiplexBenchmark {
    @Param({"2", "8", "64"})
    int children;

    Breaker[] liveBreakers;
    Breaker[] tripBreakers;
    CompletableFuture<?>[] tripFutures;

    @Setup(Level.Trial)
    public void setUp() {
        liveBreakers = new Breaker[children];
        tripBreakers = new Breaker[children];
        tripFutures = new CompletableFuture<?>[children];
        for (int i = 0; i < children; i++) {
            liveBreakers[i] = Breaker.byTimeout(Duration.ofHours(1).plusMillis(i));
            tripBreakers[i] = liveBreakers[i];
            tripFutures[i] = new CompletableFuture<>();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (Breaker b : liveBreakers) {
            b.close();
        }
    }

    @Benchmark
    public Breaker close_breaker() {
        Breaker m = Breaker.multiplex(liveBreakers);
        m.close();
        return m;
    }

    @Benchmark
    public Breaker trip_breaker() {
        Breaker fresh = Breaker.manual();
        tripBreakers[children - 1] = fresh;
        Breaker m = Breaker.multiplex(tripBreakers);
        fresh.close();
        return m;
    }

    @Benchmark
    public CompletableFuture<Object> trip_anyOf() {
        CompletableFuture<Object> fresh = new CompletableFuture<>();
        tripFutures[children - 1] = fresh;
        CompletableFuture<Object> any = CompletableFuture.anyOf(tripFutures);
        fresh.complete(Boolean.TRUE);
        return any;
    }
}
