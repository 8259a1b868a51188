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
import org.openjdk.jmh.infra.BenchmarkParams;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The per-request case: create a timeout that never fires, then close it because the work is
 * done. Three ways side by side:
 * <ul>
 *   <li>{@code breaker}: {@code Breaker.byTimeout(d)} then {@code close()};</li>
 *   <li>{@code completableFuture}: {@code new CompletableFuture<>().orTimeout(d)} then
 *       {@code complete(v)} (which cancels its task in the JDK's shared delayer, itself a
 *       remove-on-cancel {@link ScheduledThreadPoolExecutor});</li>
 *   <li>{@code scheduledExecutor}: {@code schedule(task, d)} then {@code cancel(false)} on a
 *       one-thread executor with {@code setRemoveOnCancelPolicy(true)}.</li>
 * </ul>
 * {@code pending} entries (random 10-20 min timeouts, made once per trial, in the structure of the
 * way being measured) are already waiting: 0 is an idle process, 10^6 a loaded one.
 * {@code @Threads(1)}: on two cores the timer thread needs the other one.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@State(Scope.Benchmark)
public class TimeoutBenchmark {
    private static final Object VALUE = Boolean.TRUE;

    @Param({"0", "1", "1000000"})
    int pending;

    Timeouts timeouts;
    ScheduledThreadPoolExecutor scheduler;
    Object[] preFilled;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        timeouts = new Timeouts(42);
        scheduler = Daemons.scheduler();
        Timeouts fill = new Timeouts(7);
        String method = params.getBenchmark();
        preFilled = new Object[pending];
        for (int i = 0; i < pending; i++) {
            int k = i & Timeouts.MASK;
            if (method.endsWith(".breaker")) {
                preFilled[i] = Breaker.byTimeout(fill.durations[k]);
            } else if (method.endsWith(".completableFuture")) {
                preFilled[i] = new CompletableFuture<>().orTimeout(fill.nanos[k], TimeUnit.NANOSECONDS);
            } else {
                preFilled[i] = scheduler.schedule(Daemons.NOOP, fill.nanos[k], TimeUnit.NANOSECONDS);
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
            }
        }
        preFilled = null;
        scheduler.shutdownNow();
    }

    @Benchmark
    public Breaker breaker(ThreadIndex t) {
        Breaker b = Breaker.byTimeout(timeouts.durations[t.next()]);
        b.close();
        return b;
    }

    @Benchmark
    public CompletableFuture<Object> completableFuture(ThreadIndex t) {
        CompletableFuture<Object> f = new CompletableFuture<>();
        f.orTimeout(timeouts.nanos[t.next()], TimeUnit.NANOSECONDS);
        f.complete(VALUE);
        return f;
    }

    @Benchmark
    public ScheduledFuture<?> scheduledExecutor(ThreadIndex t) {
        ScheduledFuture<?> f = scheduler.schedule(Daemons.NOOP, timeouts.nanos[t.next()], TimeUnit.NANOSECONDS);
        f.cancel(false);
        return f;
    }
}
