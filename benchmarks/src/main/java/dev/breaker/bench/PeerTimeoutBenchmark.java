package dev.breaker.bench;

import dev.breaker.Breaker;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.TimerTask;
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
import org.openjdk.jmh.infra.BenchmarkParams;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The per-request case against the real peers, on the shapes users have: a request timeout is
 * created and then cancelled because the work finished first. Request timeouts of 100 ms, 2 s
 * and 30 s (fixed, as a server configures them) and random 10-20 min, with 0 or 10^6 timeouts
 * already pending, run with {@code -t 1}, {@code -t 2} and {@code -t 8} (threads creating at
 * once on two cores). Four ways:
 * <ul>
 *   <li>{@code breaker}: {@code Breaker.byTimeout(d)} then {@code close()};</li>
 *   <li>{@code orTimeout}: {@code new CompletableFuture<>().orTimeout(d)} then {@code complete(v)};</li>
 *   <li>{@code scheduledExecutor}: a remove-on-cancel one-thread {@link ScheduledThreadPoolExecutor},
 *       {@code schedule} then {@code cancel(false)};</li>
 *   <li>{@code netty}: Netty's {@link HashedWheelTimer} as servers create it (defaults: 100 ms
 *       tick, 512 buckets), {@code newTimeout} then {@code Timeout.cancel()}.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch"})
@State(Scope.Benchmark)
public class PeerTimeoutBenchmark {
    private static final Object VALUE = Boolean.TRUE;
    private static final TimerTask NETTY_NOOP = t -> { };
    static final int SIZE = 1 << 16;
    static final int MASK = SIZE - 1;

    @Param({"100ms", "2s", "30s", "10-20min"})
    String timeout;

    @Param({"0", "1000000"})
    int pending;

    long[] nanos;
    Duration[] durations;
    ScheduledThreadPoolExecutor scheduler;
    HashedWheelTimer netty;
    Object[] preFilled;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        nanos = new long[SIZE];
        durations = new Duration[SIZE];
        SplittableRandom rnd = new SplittableRandom(42);
        for (int i = 0; i < SIZE; i++) {
            long n;
            switch (timeout) {
                case "100ms": n = TimeUnit.MILLISECONDS.toNanos(100); break;
                case "2s": n = TimeUnit.SECONDS.toNanos(2); break;
                case "30s": n = TimeUnit.SECONDS.toNanos(30); break;
                default: n = TimeUnit.MINUTES.toNanos(10) + rnd.nextLong(TimeUnit.MINUTES.toNanos(10));
            }
            nanos[i] = n;
            durations[i] = Duration.ofNanos(n);
        }
        String method = params.getBenchmark();
        if (method.endsWith(".scheduledExecutor")) {
            scheduler = Daemons.scheduler();
        }
        if (method.endsWith(".netty")) {
            netty = new HashedWheelTimer(r -> {
                Thread t = new Thread(r, "bench-netty-timer");
                t.setDaemon(true);
                return t;
            });
            netty.start();
        }
        // pending timeouts of the same way, 10-20 min away, made once per trial
        preFilled = new Object[pending];
        for (int i = 0; i < pending; i++) {
            long n = TimeUnit.MINUTES.toNanos(10) + rnd.nextLong(TimeUnit.MINUTES.toNanos(10));
            if (method.endsWith(".breaker")) {
                preFilled[i] = Breaker.byTimeout(Duration.ofNanos(n));
            } else if (method.endsWith(".orTimeout")) {
                preFilled[i] = new CompletableFuture<>().orTimeout(n, TimeUnit.NANOSECONDS);
            } else if (method.endsWith(".scheduledExecutor")) {
                preFilled[i] = scheduler.schedule(Daemons.NOOP, n, TimeUnit.NANOSECONDS);
            } else {
                preFilled[i] = netty.newTimeout(NETTY_NOOP, n, TimeUnit.NANOSECONDS);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (Object o : preFilled) {
            if (o instanceof Breaker) {
                ((Breaker) o).close();
            } else if (o instanceof CompletableFuture) {
                ((CompletableFuture<?>) o).complete(null);
            } else if (o instanceof ScheduledFuture) {
                ((ScheduledFuture<?>) o).cancel(false);
            } else if (o instanceof Timeout) {
                ((Timeout) o).cancel();
            }
        }
        preFilled = null;
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (netty != null) {
            netty.stop();
        }
    }

    /** A per-thread cursor into the pre-generated timeouts. */
    @State(Scope.Thread)
    public static class Cursor {
        int index;

        int next() {
            return index++ & MASK;
        }
    }

    @Benchmark
    public Breaker breaker(Cursor c) {
        Breaker b = Breaker.byTimeout(durations[c.next()]);
        b.close();
        return b;
    }

    @Benchmark
    public CompletableFuture<Object> orTimeout(Cursor c) {
        CompletableFuture<Object> f = new CompletableFuture<>();
        f.orTimeout(nanos[c.next()], TimeUnit.NANOSECONDS);
        f.complete(VALUE);
        return f;
    }

    @Benchmark
    public ScheduledFuture<?> scheduledExecutor(Cursor c) {
        ScheduledFuture<?> f = scheduler.schedule(Daemons.NOOP, nanos[c.next()], TimeUnit.NANOSECONDS);
        f.cancel(false);
        return f;
    }

    @Benchmark
    public Timeout netty(Cursor c) {
        Timeout t = netty.newTimeout(NETTY_NOOP, nanos[c.next()], TimeUnit.NANOSECONDS);
        t.cancel();
        return t;
    }
}
