package dev.breaker;

import dev.breaker.internal.Breakers;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;

/**
 * A cancellation signal carried to the code doing the work: it <em>trips</em> once, for one
 * {@linkplain BreakReason reason} (a timeout, a deadline, an OS signal, a completed future, one
 * of several breakers, application shutdown, or {@link #close()}), and stays tripped.
 *
 * <pre>{@code
 * try (Breaker breaker = Breaker.byTimeout(Duration.ofSeconds(2))) {
 *     while (!breaker.isBroken() && hasMoreWork()) {
 *         doSomeWork();
 *     }
 * }
 * }</pre>
 *
 * <h2>Life cycle</h2>
 * A breaker is <em>live</em> until it trips; it trips at most once, and the first reason wins.
 * {@link #close()} trips a live breaker with {@link BreakReason.Kind#CLOSED} and, in every case,
 * releases what it holds: its timer entry, its signal handler registration, its registrations on
 * other breakers. Always close a breaker you created, preferably with try-with-resources; a
 * breaker that tripped on its own has already released its resources, so forgetting to close it
 * leaks nothing, but a live one keeps its timer entry until its time comes.
 *
 * <h2>Thread safety</h2>
 * Every method of every breaker is safe to call from any thread at any time, concurrently.
 * {@link #isBroken()} is one volatile read. Each action given to {@link #onBreak(Runnable)} runs
 * exactly once, unless its registration was closed first:
 * <ul>
 *   <li>where the breaker is tripped by a call ({@link #close()}, a parent's or a child's trip
 *       caused by a call), on the calling thread, before that call returns;
 *   <li>where it trips by itself (a timeout or deadline on the shared timer thread, an OS signal
 *       on the JVM's signal thread), on a library callback thread ({@code breaker-callback-N}):
 *       the timer and signal threads run no user code, so an action that blocks or throws
 *       delays no other breaker and never stops the timer or the JVM's own signal handling;
 *   <li>if the breaker has tripped already, at once on the registering thread.
 * </ul>
 * The same holds for the dependents of {@link #done()} and of a {@link #submit} future that
 * fails early. An action that throws anything, {@link Error}s included, is logged and does not
 * stop the others; on a caller's thread a {@link VirtualMachineError} is rethrown once every
 * action has run. A breaker tripped from inside an action has its own actions run after the
 * current one returns, on the same thread, so chains of any depth trip without recursion.
 *
 * <p>When {@link #close()} or {@link Registration#close()} returns, no action of this breaker is
 * running on another thread any more (as .NET's {@code CancellationTokenRegistration.Dispose}):
 * if another thread is running the actions of the trip, the call waits for them, except when it
 * is made from inside an action (it then returns at once, to avoid a deadlock), or when the
 * waiting thread is interrupted (it then returns with its interrupt status set).
 *
 * <h2>Cost</h2>
 * No breaker owns a thread. All time-based breakers share one lazily started daemon thread that
 * drives a hierarchical timing wheel (1 ms tick); scheduling and cancelling are O(1) and a timeout
 * breaker is itself the wheel's entry, so {@code byTimeout(d)} followed by {@code close()}
 * allocates one object.
 */
public interface Breaker extends AutoCloseable {

    /**
     * A breaker that trips when {@code timeout} has elapsed from now. A timeout longer than
     * 36,500 days (about 100 years, the library's one cap on a duration) counts as 36,500 days.
     *
     * @param timeout how long from now; zero gives an already tripped breaker
     * @return a new live breaker (or tripped, for a zero timeout) with a
     *         {@link BreakReason.Kind#TIMEOUT} reason when it trips by itself; the caller closes it
     * @throws NullPointerException     if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    static Breaker byTimeout(Duration timeout) {
        return Breakers.byTimeout(timeout);
    }

    /**
     * A breaker that trips at {@code deadline}. The deadline is converted once, on creation, to
     * the monotonic clock; later changes of the wall clock do not move it.
     *
     * @param deadline when to trip; a deadline in the past gives an already tripped breaker
     * @return a new breaker with a {@link BreakReason.Kind#DEADLINE} reason when it trips by
     *         itself; the caller closes it
     * @throws NullPointerException if {@code deadline} is null
     */
    static Breaker byDeadline(Instant deadline) {
        return Breakers.byDeadline(deadline);
    }

    /**
     * A breaker that trips when the process receives one of the named OS signals, such as
     * {@code "INT"}, {@code "TERM"} or {@code "HUP"} (a {@code SIG} prefix and any case are
     * accepted). All breakers share one handler per signal; the handler that was installed
     * before is still called after the breakers have tripped, and is restored when the last
     * breaker listening to that signal is released. For {@code HUP}, {@code INT} and {@code TERM} that
     * handler is the JVM's, which runs the shutdown hooks and exits; a signal whose previous
     * handler is the OS default (such as {@code WINCH}) is consumed by the breakers.
     *
     * @param names the signals to listen to, at least one; the breaker trips on the first received
     * @return a new breaker with a {@link BreakReason.Kind#SIGNAL} reason naming the signal; closing
     *         it releases its share of the signal handlers
     * @throws IllegalArgumentException      if no name is given or a name is null or blank
     * @throws UnsupportedOperationException if this JVM or OS cannot handle one of the signals
     *                                       (unknown name, used by the VM, or {@code -Xrs})
     */
    static Breaker bySignal(String... names) {
        return Breakers.bySignal(names);
    }

    /**
     * A breaker that trips when {@code stage} completes, normally or exceptionally. A
     * {@link CompletionStage} offers no way to unregister, so after {@link #close()} the stage
     * holds only a small cleared holder, never the breaker.
     *
     * @param stage the stage to watch; if it has completed already, the breaker trips as soon as
     *              the stage runs its dependents (at once, for a {@link CompletableFuture})
     * @return a new breaker with a {@link BreakReason.Kind#FUTURE} reason when the stage completes
     * @throws NullPointerException if {@code stage} is null
     */
    static Breaker byFuture(CompletionStage<?> stage) {
        return Breakers.byFuture(stage);
    }

    /**
     * A breaker that trips when the first of {@code breakers} trips, with a
     * {@link BreakReason.Kind#CHILD} reason naming that child's index and reason. It registers one
     * action on each child and removes them all when it trips or is closed; closing it does
     * not close the children, and children may outlive it or die before it without leaking.
     *
     * @param breakers the children, at least one; if one has tripped already, the result is
     *                 tripped at once, with a {@link BreakReason.Kind#CHILD} reason naming it
     * @return a new breaker over the children; the caller closes it
     * @throws NullPointerException     if the array or any element is null
     * @throws IllegalArgumentException if no breaker is given
     */
    static Breaker multiplex(Breaker... breakers) {
        return Breakers.multiplex(breakers);
    }

    /**
     * A breaker that trips only when {@link #close()} is called: the equivalent of a .NET
     * {@code CancellationTokenSource} or Go's {@code context.WithCancel}.
     *
     * @return a new live breaker that nothing but its own {@link #close()} trips
     */
    static Breaker manual() {
        return Breakers.manual();
    }

    /**
     * Whether this breaker has tripped. One volatile read; never blocks.
     *
     * @return true once the breaker has tripped (it then stays tripped), false while it is live
     */
    boolean isBroken();

    /**
     * The time left before this breaker trips by itself: the earliest timeout or deadline that
     * bounds it (its own, a parent's for a {@link #withTimeout} child, any child's for a
     * {@link #multiplex}); {@link Duration#ZERO} once it has tripped; empty while it is live and
     * nothing time-based bounds it (a manual, signal or future breaker). Work that takes a budget
     * of its own (a JDBC query timeout, an HTTP request timeout, a call to another service) is
     * given this, so that it ends no later than the breaker.
     *
     * @return the time left, {@link Duration#ZERO} once tripped, or empty when no time bounds it
     */
    default Optional<Duration> remaining() {
        return isBroken() ? Optional.of(Duration.ZERO) : Optional.empty();
    }

    /**
     * Why this breaker tripped, or empty while it is live.
     *
     * @return the first reason this breaker tripped for (it never changes once set), or empty
     *         while the breaker is live
     */
    Optional<BreakReason> reason();

    /**
     * Throws a {@link BrokenException} carrying the reason if this breaker has tripped;
     * otherwise returns at once.
     */
    default void throwIfBroken() {
        Optional<BreakReason> reason = reason();
        if (reason.isPresent()) {
            throw new BrokenException(reason.get());
        }
    }

    /**
     * A stage that completes with the reason when this breaker trips. Callers cannot complete
     * it: {@code toCompletableFuture()} returns an independent copy.
     *
     * @return a stage completed (never exceptionally) with the reason once the breaker trips;
     *         already complete if it has tripped
     */
    CompletionStage<BreakReason> done();

    /**
     * Waits until this breaker trips or {@code timeout} elapses.
     *
     * @param timeout the longest time to wait; zero or negative only checks
     * @return true if the breaker has tripped
     * @throws InterruptedException if the waiting thread is interrupted
     */
    boolean await(Duration timeout) throws InterruptedException;

    /**
     * Waits until this breaker trips.
     *
     * @throws InterruptedException if the waiting thread is interrupted
     */
    void await() throws InterruptedException;

    /**
     * Runs {@code action} once when this breaker trips, or at once on this thread if it has
     * tripped already (the class comment says on which thread). An action that throws is logged
     * and does not stop the others. Closing the returned registration before the breaker trips
     * removes the action and its reference; once the action has started, closing waits until it
     * has finished (unless called from inside an action). Closing is idempotent.
     *
     * @param action what to run on the trip; it should be short and must not wait for this breaker
     * @return the registration, whose {@link Registration#close()} removes the action
     * @throws NullPointerException if {@code action} is null
     */
    Registration onBreak(Runnable action);

    /**
     * Cancels {@code future} (with {@code mayInterruptIfRunning = true}) when this breaker trips.
     * Close the returned registration when the future is done to drop the reference early.
     *
     * @param future the future to cancel; cancelled at once if this breaker has tripped already
     * @return the registration, whose {@link Registration#close()} removes the cancellation
     * @throws NullPointerException if {@code future} is null
     */
    default Registration cancelOnBreak(Future<?> future) {
        java.util.Objects.requireNonNull(future, "future");
        return onBreak(() -> future.cancel(true));
    }

    /**
     * Runs {@code task} on the calling thread, interrupting that thread if this breaker trips
     * while the task runs. When the call returns, an interrupt this breaker delivered is
     * cleared, so the thread leaves as it entered; an interrupt from anyone else is kept.
     *
     * @param <T>  the type of the task's result
     * @param task the work to run on this thread
     * @return the task's result, if it completed normally (even after the breaker tripped)
     * @throws BrokenException if the breaker was broken before the call, or tripped during the
     *                         call and the task then failed (the failure is the cause)
     * @throws Exception       what the task threw, if the breaker did not trip
     */
    <T> T call(Callable<T> task) throws Exception;

    /**
     * Runs {@code task} on {@code executor} under {@link #call(Callable)}. The result completes
     * exceptionally with a {@link BrokenException} if the breaker trips before the task starts or
     * while it fails; cancelling the result interrupts the task if it runs.
     *
     * @param <T>      the type of the task's result
     * @param task     the work to run
     * @param executor where to run it
     * @return a future completing with the task's result or failure, or with a
     *         {@link BrokenException} as described above
     */
    <T> CompletableFuture<T> submit(Callable<T> task, Executor executor);

    /**
     * A child breaker that trips when this one trips ({@link BreakReason.Kind#PARENT}) or when
     * {@code timeout} has elapsed, whichever comes first. Closing the child does not affect this
     * breaker; close the child when its work is done.
     *
     * @param timeout how long from now the child may live at most
     * @return a new child breaker, tripped at once if this breaker has tripped or the timeout is
     *         zero
     * @throws NullPointerException     if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    Breaker withTimeout(Duration timeout);

    /**
     * Trips this breaker with {@link BreakReason.Kind#CLOSED} if it is live, and releases every
     * resource it holds. Idempotent; safe from any thread. Returns once every action of the trip
     * has run, also when another thread tripped it (see the class comment for the exceptions).
     */
    @Override
    void close();

    /**
     * Undoes one {@link #onBreak(Runnable)} registration. {@link #close()} is idempotent, safe
     * from any thread, and declares no checked exception.
     */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
