package dev.breaker.http;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A breaker for tests, through the public API only: it forwards everything to a real breaker,
 * but reports the {@link #remaining()} it is given, and counts the {@link #onBreak} actions
 * registered, removed and run.
 */
final class TestBreaker implements Breaker {
    final Breaker delegate;
    private final Supplier<Optional<Duration>> remaining;
    final AtomicInteger registered = new AtomicInteger();
    final AtomicInteger removed = new AtomicInteger();
    final AtomicInteger ran = new AtomicInteger();

    TestBreaker(Breaker delegate, Supplier<Optional<Duration>> remaining) {
        this.delegate = delegate;
        this.remaining = remaining;
    }

    /** Forwards {@code remaining()} too: only counts. */
    static TestBreaker counting(Breaker delegate) {
        return new TestBreaker(delegate, delegate::remaining);
    }

    /** Reports {@code left} as its remaining time while live (ZERO once tripped). */
    static TestBreaker reporting(Breaker delegate, Duration left) {
        return new TestBreaker(delegate, () -> Optional.of(delegate.isBroken() ? Duration.ZERO : left));
    }

    @Override
    public boolean isBroken() {
        return delegate.isBroken();
    }

    @Override
    public Optional<Duration> remaining() {
        return remaining.get();
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
        registered.incrementAndGet();
        Registration r = delegate.onBreak(() -> {
            ran.incrementAndGet();
            action.run();
        });
        AtomicBoolean closed = new AtomicBoolean();
        return () -> {
            if (closed.compareAndSet(false, true)) {
                removed.incrementAndGet();
            }
            r.close();
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
}
