package dev.breaker;

import dev.breaker.internal.BreakerHandle;
import dev.breaker.internal.Current;
import dev.breaker.worker.WorkerContext;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;

/**
 * The breaker that bounds the work running on this thread, found without passing it around
 * (gRPC's {@code Context.current()}, Go's {@code ctx} in every call). Code deep in a call chain
 * asks {@link #get()} and hands the answer to {@link dev.breaker.jdbc.Jdbc}, {@link dev.breaker.http.Http},
 * {@link Retry} or {@link Permits}; work handed to another thread takes it along with
 * {@link #wrap(Runnable)}, {@link #wrapCall(Callable)} or {@link #wrap(Executor)}.
 *
 * <pre>{@code
 * try (Breaker breaker = Breaker.byTimeout(Duration.ofSeconds(2));
 *      CurrentBreaker.Scope scope = CurrentBreaker.bind(breaker)) {
 *     executor.execute(CurrentBreaker.wrap(() -> work(CurrentBreaker.get().orElseThrow())));
 *     Future<Order> order = pool.submit(CurrentBreaker.wrapCall(() -> fetch(id)));
 * }
 * }</pre>
 *
 * <h2>What {@link #get()} finds, first match wins</h2>
 * <ol>
 *   <li>the breaker {@linkplain #bind bound} on this thread (also by {@link #run}, {@link #call},
 *       a {@linkplain #wrap wrapped} task and {@link #detached});</li>
 *   <li>inside a worker's start, stop or routine: that phase's breaker
 *       ({@link WorkerContext#breaker()});</li>
 *   <li>what an integration provides: with the CDI extension, inside a request (an active CDI
 *       request context), that request's breaker, the one an unqualified {@code @Inject Breaker}
 *       gets in it, and which ends with the request;</li>
 *   <li>nothing: {@link Optional#empty()}.</li>
 * </ol>
 * A request's breaker is never found on a thread that does not run in that request: a job or a
 * worker routine started from a request does not inherit it, unless the task was wrapped.
 *
 * <p>Thread safety: every method may be called from any thread; a binding belongs to the thread
 * that made it, and its {@link Scope} must be closed on that thread.
 */
public final class CurrentBreaker {
    /** Bound by a wrapped task whose submitter had no breaker: "none", even where a fallback has one. */
    private static final Breaker NONE = Current.NONE;

    private CurrentBreaker() {
    }

    /** A binding made by {@link #bind}: closing it restores what was bound before. */
    public interface Scope extends AutoCloseable {
        /**
         * Restores the binding that {@link #bind} replaced. Idempotent.
         *
         * @throws IllegalStateException ({@code BRKR022}) if called on another thread than the one
         *                               that bound, or while a later binding of that thread is open
         */
        @Override
        void close();
    }

    /**
     * The breaker that bounds this thread's work; the class comment says where it is looked for.
     *
     * @return the breaker, or empty where nothing bounds the work
     */
    public static Optional<Breaker> get() {
        Breaker b = Current.bound();
        if (b != null) {
            return b == NONE ? Optional.empty() : Optional.of(b);
        }
        Optional<WorkerContext> worker = WorkerContext.current();
        if (worker.isPresent()) {
            return Optional.of(worker.get().breaker());
        }
        return Optional.ofNullable(Current.fallback());
    }

    /**
     * Makes {@code breaker} this thread's current breaker until the returned scope is closed.
     * Scopes nest: closing one restores the breaker that was current before it.
     *
     * @param breaker the breaker to make current; an injected breaker is bound as the breaker it
     *                stands for on this thread, so that a task wrapped here carries that one
     * @return the scope to close, on this thread, to restore the previous binding
     * @throws NullPointerException if {@code breaker} is null
     */
    public static Scope bind(Breaker breaker) {
        Objects.requireNonNull(breaker, "breaker");
        // an injected handle: what it stands for here, so that a wrapped task carries that
        return bindRaw(BreakerHandle.resolve(breaker));
    }

    private static Scope bindRaw(Breaker breaker) {
        Breaker previous = Current.swap(breaker);
        Thread owner = Thread.currentThread();
        return new Scope() {
            private boolean closed;

            @Override
            public void close() {
                if (closed) {
                    return;
                }
                if (Thread.currentThread() != owner) {
                    throw new IllegalStateException("BRKR022: a CurrentBreaker scope was closed on thread '"
                            + Thread.currentThread().getName() + "', not on '" + owner.getName() + "' that opened it");
                }
                if (Current.bound() != breaker) {
                    throw new IllegalStateException("BRKR022: a CurrentBreaker scope was closed while a later"
                            + " binding on thread '" + owner.getName() + "' is still open: close scopes in reverse order"
                            + " (try-with-resources does)");
                }
                closed = true;
                Current.swap(previous);
            }
        };
    }

    /**
     * Runs {@code task} with {@code breaker} current, then restores what was current.
     *
     * @param breaker the breaker to make current while the task runs
     * @param task    the work to run on this thread
     * @throws NullPointerException if an argument is null
     */
    public static void run(Breaker breaker, Runnable task) {
        Objects.requireNonNull(breaker, "breaker");
        Objects.requireNonNull(task, "task");
        Breaker previous = Current.swap(BreakerHandle.resolve(breaker));
        try {
            task.run();
        } finally {
            Current.swap(previous); // whatever the task left bound (an unclosed scope) goes too
        }
    }

    /**
     * Calls {@code task} with {@code breaker} current, then restores what was current.
     *
     * @param <T>     the type of the task's result
     * @param breaker the breaker to make current while the task runs
     * @param task    the work to call on this thread
     * @return what the task returned
     * @throws NullPointerException if an argument is null
     * @throws Exception            what the task threw
     */
    public static <T> T call(Breaker breaker, Callable<T> task) throws Exception {
        Objects.requireNonNull(breaker, "breaker");
        Objects.requireNonNull(task, "task");
        Breaker previous = Current.swap(BreakerHandle.resolve(breaker));
        try {
            return task.call();
        } finally {
            Current.swap(previous);
        }
    }

    /**
     * A task that runs {@code task} with the breaker that is current <em>now</em> (on the calling
     * thread) as its current breaker, on whatever thread runs it; if none is current now, the task
     * runs with none, even on a thread where one would be found. Whatever the task binds and
     * leaves bound is undone when it ends, so a pool thread keeps nothing.
     *
     * @param task the work to carry the current breaker to
     * @return a new task that binds the captured breaker (or none), runs {@code task}, and
     *         restores the running thread's binding; it may be run any number of times
     * @throws NullPointerException if {@code task} is null
     */
    public static Runnable wrap(Runnable task) {
        Objects.requireNonNull(task, "task");
        Breaker captured = get().orElse(NONE);
        return () -> {
            Breaker previous = Current.swap(captured);
            try {
                task.run();
            } finally {
                Current.swap(previous);
            }
        };
    }

    /**
     * As {@link #wrap(Runnable)}, for a task that returns a value ({@code ExecutorService.submit},
     * {@code CompletableFuture.supplyAsync} through a {@code Callable}). Named apart from
     * {@code wrap} so that a lambda given to {@code Executor.execute} never picks this one.
     *
     * @param <T>  the type of the task's result
     * @param task the work to carry the current breaker to
     * @return a new task that calls {@code task} with the breaker captured now and returns its
     *         result
     * @throws NullPointerException if {@code task} is null
     */
    public static <T> Callable<T> wrapCall(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        Breaker captured = get().orElse(NONE);
        return () -> {
            Breaker previous = Current.swap(captured);
            try {
                return task.call();
            } finally {
                Current.swap(previous);
            }
        };
    }

    /**
     * An executor that {@linkplain #wrap(Runnable) wraps} every task given to it, so each runs with
     * the breaker that was current where it was submitted. Thread-safe as {@code executor} is.
     *
     * @param executor the executor that runs the wrapped tasks
     * @return a view of {@code executor}; it owns nothing, so it needs no shutting down
     * @throws NullPointerException if {@code executor} is null
     */
    public static Executor wrap(Executor executor) {
        Objects.requireNonNull(executor, "executor");
        return task -> executor.execute(wrap(task));
    }

    /**
     * Runs clean-up that must happen even though the current breaker has tripped (an audit row
     * after a request's time ran out): {@code cleanup} runs with a fresh breaker of its own,
     * {@code Breaker.byTimeout(budget)}, as its current breaker, unrelated to the tripped one (Go's
     * {@code context.WithoutCancel} with a timeout). The fresh breaker is closed when it returns.
     *
     * @param <T>     the type of the clean-up's result
     * @param budget  how long the clean-up may take: its fresh breaker trips after that
     * @param cleanup the work to run on this thread
     * @return what {@code cleanup} returned
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code budget} is negative
     * @throws Exception                what {@code cleanup} threw
     */
    public static <T> T detached(Duration budget, Callable<T> cleanup) throws Exception {
        Objects.requireNonNull(cleanup, "cleanup");
        try (Breaker fresh = Breaker.byTimeout(budget)) {
            return call(fresh, cleanup);
        }
    }
}
