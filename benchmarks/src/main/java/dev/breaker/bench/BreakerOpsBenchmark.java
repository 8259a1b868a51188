package dev.breaker.bench;

import dev.breaker.Breaker;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The calls made while work runs under a live (timeout) breaker: the {@code isBroken()} poll,
 * and registering then removing a cancellation action, each next to what a user would call
 * instead: {@code isDone()} of a {@code CompletableFuture} or a {@code ScheduledFuture}, and a
 * {@link CopyOnWriteArrayList} of listeners ({@code CompletableFuture} offers no way to remove a
 * {@code whenComplete} action, so it is not an alternative for register + unregister).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
@Fork(1)
@State(Scope.Benchmark)
public class BreakerOpsBenchmark {
    private static final Runnable ACTION = () -> { };

    Breaker breaker;
    CompletableFuture<Object> future;
    ScheduledThreadPoolExecutor scheduler;
    ScheduledFuture<?> scheduled;
    CopyOnWriteArrayList<Runnable> listeners;

    @Setup(Level.Trial)
    public void setUp() {
        breaker = Breaker.byTimeout(Duration.ofHours(1));
        future = new CompletableFuture<>();
        future.orTimeout(1, TimeUnit.HOURS);
        scheduler = Daemons.scheduler();
        scheduled = scheduler.schedule(Daemons.NOOP, 1, TimeUnit.HOURS);
        listeners = new CopyOnWriteArrayList<>();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        breaker.close();
        future.complete(null);
        scheduler.shutdownNow();
    }

    @Benchmark
    public boolean isBroken_breaker() {
        return breaker.isBroken();
    }

    @Benchmark
    public boolean isBroken_completableFuture() {
        return future.isDone();
    }

    @Benchmark
    public boolean isBroken_scheduledFuture() {
        return scheduled.isDone();
    }

    @Benchmark
    public Breaker.Registration onBreak_breaker() {
        Breaker.Registration r = breaker.onBreak(ACTION);
        r.close();
        return r;
    }

    @Benchmark
    public boolean onBreak_copyOnWriteList() {
        listeners.add(ACTION);
        return listeners.remove(ACTION);
    }
}
