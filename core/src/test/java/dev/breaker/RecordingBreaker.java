package dev.breaker;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A test breaker that delegates to a real one and watches it through the public API only: it
 * counts the {@link #onBreak} registrations still live (neither closed nor run) and the actions
 * run, and may report a fixed {@link #remaining()}. Thread-safe.
 */
public final class RecordingBreaker implements Breaker {
    private final Breaker delegate;
    private final Duration remaining; // null: ask the delegate
    private final Set<Object> live = ConcurrentHashMap.newKeySet();
    public final AtomicInteger registrations = new AtomicInteger();
    public final AtomicInteger actionsRun = new AtomicInteger();
    /** Registrations closed (the first close of each), whether or not their action had run. */
    public final AtomicInteger closedRegistrations = new AtomicInteger();

    public RecordingBreaker(Breaker delegate) {
        this(delegate, null);
    }

    /** Reports {@code remaining} as its time left while live (as a timed breaker would); ZERO once tripped. */
    public RecordingBreaker(Breaker delegate, Duration remaining) {
        this.delegate = delegate;
        this.remaining = remaining;
    }

    /** Registrations neither closed nor run. */
    public int liveRegistrations() {
        return live.size();
    }

    @Override
    public boolean isBroken() {
        return delegate.isBroken();
    }

    @Override
    public Optional<Duration> remaining() {
        if (remaining == null || delegate.isBroken()) {
            return delegate.remaining();
        }
        return Optional.of(remaining);
    }

    @Override
    public Optional<BreakReason> reason() {
        return delegate.reason();
    }

    @Override
    public CompletionStage<BreakReason> done() {
        return delegate.done();
    }

    @Override
    public boolean await(Duration timeout) throws InterruptedException {
        return delegate.await(timeout);
    }

    @Override
    public void await() throws InterruptedException {
        delegate.await();
    }

    @Override
    public Registration onBreak(Runnable action) {
        registrations.incrementAndGet();
        Object key = new Object();
        live.add(key);
        AtomicBoolean closed = new AtomicBoolean();
        Registration inner = delegate.onBreak(() -> {
            live.remove(key);
            actionsRun.incrementAndGet();
            action.run();
        });
        return () -> {
            if (closed.compareAndSet(false, true)) {
                closedRegistrations.incrementAndGet();
                inner.close();
                live.remove(key);
            }
        };
    }

    @Override
    public <T> T call(Callable<T> task) throws Exception {
        return delegate.call(task);
    }

    @Override
    public <T> CompletableFuture<T> submit(Callable<T> task, Executor executor) {
        return delegate.submit(task, executor);
    }

    @Override
    public Breaker withTimeout(Duration timeout) {
        return delegate.withTimeout(timeout);
    }

    @Override
    public void close() {
        delegate.close();
    }

    /** Waits (bounded, polling) until {@code condition} holds; fails the test if it never does. */
    static void awaitTrue(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.yield();
        }
    }

    /** Waits until {@code t} is parked on {@code blocker} (so it has queued or begun to wait). */
    static void awaitParkedOn(Thread t, Object blocker) {
        awaitTrue(t.getName() + " parks on " + blocker, () -> LockSupport.getBlocker(t) == blocker);
    }
}
