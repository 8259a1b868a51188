package dev.breaker.worker.internal;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * A view of a breaker the graph owns, handed to users: everything but {@link #close()}, which
 * does nothing, so that user code cannot trip the graph's breakers. Thread-safe.
 */
final class ReadOnlyBreaker implements Breaker {
    private final Breaker delegate;

    private ReadOnlyBreaker(Breaker delegate) {
        this.delegate = delegate;
    }

    static Breaker of(Breaker b) {
        return b instanceof ReadOnlyBreaker ? b : new ReadOnlyBreaker(b);
    }

    @Override
    public boolean isBroken() {
        return delegate.isBroken();
    }

    @Override
    public Optional<BreakReason> reason() {
        return delegate.reason();
    }

    @Override
    public Optional<Duration> remaining() {
        return delegate.remaining();
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
        return delegate.onBreak(action);
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

    /** Does nothing: the graph owns this breaker. */
    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
