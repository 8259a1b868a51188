package dev.breaker.internal;

import dev.breaker.Breaker;
import dev.breaker.BrokenException;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A task run on an executor under a breaker. Its future fails with {@link BrokenException} when
 * the breaker trips before the task starts; cancelling the future trips a private breaker that
 * interrupts the task through {@link InterruptBridge}. Every registration is removed when the
 * future completes.
 */
final class SubmittedTask<T> extends CompletableFuture<T> implements Runnable {
    private final AbstractBreaker breaker;
    private final Callable<T> task;
    private final ManualBreaker cancelled = new ManualBreaker();
    private volatile dev.breaker.Breaker.Registration early;

    private SubmittedTask(AbstractBreaker breaker, Callable<T> task) {
        this.breaker = breaker;
        this.task = task;
    }

    static <T> CompletableFuture<T> submit(AbstractBreaker breaker, Callable<T> task, Executor executor) {
        if (task == null) {
            throw new NullPointerException("task must not be null");
        }
        if (executor == null) {
            throw new NullPointerException("executor must not be null");
        }
        SubmittedTask<T> f = new SubmittedTask<>(breaker, task);
        f.early = breaker.onBreak(
                () -> f.completeExceptionally(new BrokenException(breaker.reasonOrNull())));
        f.whenComplete((v, e) -> AbstractBreaker.cancelQuietly(f.early));
        try {
            executor.execute(f);
        } catch (RuntimeException rejected) {
            f.completeExceptionally(rejected);
        }
        return f;
    }

    @Override
    public void run() {
        AbstractBreaker.cancelQuietly(early); // from now on a trip interrupts the task instead
        if (isDone()) {
            return;
        }
        T value = null;
        Throwable failure = null;
        try (Breaker both = MultiplexBreaker.of(breaker, cancelled)) {
            value = ((AbstractBreaker) both).call(task);
        } catch (Throwable t) {
            failure = t;
        }
        // complete only after the multiplex released its registrations
        if (failure == null) {
            complete(value);
        } else if (failure instanceof BrokenException && breaker.isBroken()) {
            completeExceptionally(new BrokenException(breaker.reasonOrNull(), failure.getCause()));
        } else {
            completeExceptionally(failure);
        }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean done = super.cancel(mayInterruptIfRunning);
        if (mayInterruptIfRunning) {
            cancelled.close();
        }
        return done;
    }
}
