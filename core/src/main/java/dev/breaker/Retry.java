package dev.breaker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * Retries an action, with exponential back-off, for as long as a {@link Breaker} allows: the
 * Java form of Go's {@code retry.Retry(breaker, action)}.
 *
 * <pre>{@code
 * try (Breaker breaker = Breaker.byTimeout(Duration.ofSeconds(5))) {
 *     Order order = Retry.call(breaker, () -> client.fetchOrder(id));
 * }
 * }</pre>
 *
 * <p>A {@code Retry} is an immutable policy; {@link #defaults()} gives 3 attempts, back-off
 * from 100 ms to 5 s, and retries every {@link Exception}. Each
 * {@code with…} method returns a changed copy and checks its argument at once:
 *
 * <pre>{@code
 * Retry policy = Retry.defaults()
 *         .withAttempts(5)
 *         .withBackoff(Duration.ofMillis(50), Duration.ofSeconds(2))
 *         .withRetryIf(e -> e instanceof IOException);
 * Retry.Result<Order> result = policy.run(breaker, () -> client.fetchOrder(id));
 * }</pre>
 *
 * <h2>The loop</h2>
 * <ol>
 *   <li>If the breaker has tripped, stop ({@link Stop#BROKEN}): an action is never started on a
 *       tripped breaker, so one that tripped before the call never runs the action at all.
 *   <li>Call the action. If it returns, stop ({@link Stop#SUCCESS}).
 *   <li>If the failure is not retried, stop ({@link Stop#FAILED}); but a {@link BrokenException}
 *       thrown while the breaker has tripped stops with {@link Stop#BROKEN}. Never retried: a
 *       {@link BrokenException} (the work was cancelled), an {@link InterruptedException}, and
 *       every failure the {@linkplain #withRetryIf predicate} rejects. {@link Error}s are not
 *       caught at all: they propagate from {@link #run} as they are.
 *   <li>If that was the last attempt, stop ({@link Stop#EXHAUSTED}).
 *   <li>Draw the back-off delay (see {@link #withBackoff}). If the breaker has tripped, stop
 *       ({@link Stop#BROKEN}). If the breaker's {@link Breaker#remaining()} is shorter than the
 *       delay, stop at once without waiting ({@link Stop#OUT_OF_TIME}): the breaker would trip
 *       before the next attempt could start.
 *   <li>Wait with {@link Breaker#await(Duration)}: a trip ends the wait at once
 *       ({@link Stop#BROKEN}). Then go to 1.
 * </ol>
 * Every failure is kept, in order, in {@link Result#failures()}; when the result is made, the
 * last failure also receives the earlier ones as {@linkplain Throwable#getSuppressed() suppressed}
 * exceptions, so a thrown failure shows the whole story.
 *
 * <p>The action runs on the calling thread; the library does not interrupt it when the breaker
 * trips (an action that should stop early can look at the breaker itself, or be wrapped in
 * {@link Breaker#call(Callable)}).
 *
 * <h2>Thread safety</h2>
 * A {@code Retry} is immutable and may be shared by any number of threads; each {@link #run}
 * keeps its state on the calling thread. A {@link Result} is immutable once returned (the
 * failures it holds are the action's exceptions and are as thread-safe as they are).
 */
public final class Retry {

    private static final int DEFAULT_ATTEMPTS = 3;

    private static final Duration DEFAULT_MIN = Duration.ofMillis(100);
    private static final Duration DEFAULT_MAX = Duration.ofSeconds(5);
    private static final Predicate<Exception> ANY = e -> true;
    /** The base of the doubling when the minimum delay is zero. */
    private static final long ZERO_MIN_BASE_NANOS = 1_000_000L;

    private static final Retry DEFAULTS = new Retry(DEFAULT_ATTEMPTS, DEFAULT_MIN, DEFAULT_MAX, ANY);

    private final int attempts;
    private final Duration min;
    private final Duration max;
    private final Predicate<? super Exception> retryIf;

    private Retry(int attempts, Duration min, Duration max, Predicate<? super Exception> retryIf) {
        this.attempts = attempts;
        this.min = min;
        this.max = max;
        this.retryIf = retryIf;
    }

    /**
     * The default policy: 3 attempts, back-off from 100 ms to 5 s, every
     * {@link Exception} retried (except those the class comment names).
     *
     * @return the shared default policy, the starting point of every {@code with…} copy
     */
    public static Retry defaults() {
        return DEFAULTS;
    }

    /**
     * Runs {@code action} under the {@linkplain #defaults() default policy} and returns its value
     * or throws: the short form of {@code Retry.defaults().run(breaker, action).orThrow()}.
     *
     * @param <T>     the type of the action's value
     * @param breaker bounds the whole run: no attempt starts, and no wait goes on, once it trips
     * @param action  the work to try
     * @return the value of the first attempt that succeeded
     * @throws BrokenException      if the breaker tripped before or between attempts, or the
     *                              action threw one while it had tripped; it carries the
     *                              breaker's reason, and the last failure (if any) as its cause
     * @throws Exception            the last failure otherwise (attempts used up, a failure that
     *                              is not retried, or no time left for the next wait), with the
     *                              earlier failures as suppressed exceptions
     * @throws NullPointerException if {@code breaker} or {@code action} is null
     * @see Result#orThrow()
     */
    public static <T> T call(Breaker breaker, Callable<T> action) throws Exception {
        return DEFAULTS.run(breaker, action).orThrow();
    }

    /**
     * A copy of this policy that makes at most {@code attempts} calls of the action in all.
     *
     * @param attempts at least 1; 1 means no retry
     * @return a new policy with this number of attempts and this policy's other settings
     * @throws IllegalArgumentException if {@code attempts} is below 1
     */
    public Retry withAttempts(int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1: " + attempts);
        }
        return new Retry(attempts, min, max, retryIf);
    }

    /**
     * A copy of this policy with exponential back-off between {@code min} and {@code max}, with
     * <em>full jitter above the minimum</em>: the wait after the k-th failed attempt (k = 1, 2,
     * …) is drawn uniformly from [{@code min}, min({@code max}, {@code min}·2<sup>k</sup>)].
     * So no wait is shorter than {@code min} nor longer than {@code max}, the window doubles
     * with each failure, and the spread de-synchronises callers that failed together. If
     * {@code min} is zero the doubling starts from 1 ms; {@code min == max} gives a fixed delay
     * without jitter, and two zeros give no wait at all.
     *
     * @param min the shortest wait between two attempts; zero or more
     * @param max the longest wait between two attempts; at least {@code min}
     * @return a new policy with this back-off and this policy's other settings
     * @throws NullPointerException     if {@code min} or {@code max} is null
     * @throws IllegalArgumentException if either is negative, or {@code min} exceeds {@code max}
     */
    public Retry withBackoff(Duration min, Duration max) {
        Objects.requireNonNull(min, "min must not be null");
        Objects.requireNonNull(max, "max must not be null");
        if (min.isNegative()) {
            throw new IllegalArgumentException("min must not be negative: " + min);
        }
        if (max.isNegative()) {
            throw new IllegalArgumentException("max must not be negative: " + max);
        }
        if (min.compareTo(max) > 0) {
            throw new IllegalArgumentException("min must not exceed max: min " + min + ", max " + max);
        }
        return new Retry(attempts, min, max, retryIf);
    }

    /**
     * A copy of this policy that retries only the failures {@code retryIf} accepts (the default
     * accepts every {@link Exception}). Whatever it says, a {@link BrokenException} and an
     * {@link InterruptedException} are never retried, and {@link Error}s are never caught. A
     * predicate that throws ends the call with that exception.
     *
     * @param retryIf true for a failure that is worth another attempt; called on the thread of
     *                each {@link #run}, so a policy shared between threads calls it concurrently
     *                and it must then be thread-safe
     * @return a new policy with this predicate and this policy's other settings
     * @throws NullPointerException if {@code retryIf} is null
     */
    public Retry withRetryIf(Predicate<? super Exception> retryIf) {
        Objects.requireNonNull(retryIf, "retryIf must not be null");
        return new Retry(attempts, min, max, retryIf);
    }

    /**
     * Runs {@code action} under this policy until it succeeds or the loop of the class comment
     * stops, and says why it stopped. Never throws what the action throws, except {@link Error}s.
     *
     * @param <T>     the type of the action's value
     * @param breaker bounds the whole run: no attempt starts, and no wait goes on, once it trips
     * @param action  the work to try
     * @return why the run stopped, with the value or the failures
     * @throws NullPointerException if {@code breaker} or {@code action} is null
     * @throws InterruptedException if the thread is interrupted during a back-off wait (the
     *                              earlier failures are its suppressed exceptions); an
     *                              {@code InterruptedException} thrown by the action is a
     *                              failure that is not retried ({@link Stop#FAILED})
     */
    public <T> Result<T> run(Breaker breaker, Callable<T> action) throws InterruptedException {
        Objects.requireNonNull(breaker, "breaker must not be null");
        Objects.requireNonNull(action, "action must not be null");
        breaker = dev.breaker.internal.BreakerHandle.resolve(breaker); // an injected handle: this thread's breaker
        List<Exception> failures = null;
        for (int attempt = 1; ; attempt++) {
            Optional<BreakReason> tripped = breaker.reason();
            if (tripped.isPresent()) {
                return new Result<>(Stop.BROKEN, null, attempt - 1, tripped.get(), failures);
            }
            T value;
            try {
                value = action.call();
            } catch (Exception e) {
                failures = add(failures, e);
                if (e instanceof BrokenException || e instanceof InterruptedException || !retryIf.test(e)) {
                    tripped = breaker.reason();
                    Stop stop = e instanceof BrokenException && tripped.isPresent() ? Stop.BROKEN : Stop.FAILED;
                    return new Result<>(stop, null, attempt, tripped.orElse(null), failures);
                }
                if (attempt >= attempts) {
                    return new Result<>(Stop.EXHAUSTED, null, attempt, null, failures);
                }
                Duration delay = delay(attempt);
                tripped = breaker.reason();
                if (tripped.isEmpty()) {
                    Optional<Duration> left = breaker.remaining();
                    if (left.isPresent() && delay.compareTo(left.get()) > 0) {
                        tripped = breaker.reason(); // remaining() is zero once tripped
                        return tripped.isPresent()
                                ? new Result<>(Stop.BROKEN, null, attempt, tripped.get(), failures)
                                : new Result<>(Stop.OUT_OF_TIME, null, attempt, null, failures);
                    }
                    try {
                        if (!delay.isZero()) {
                            breaker.await(delay);
                        }
                    } catch (InterruptedException interrupted) {
                        for (Exception f : failures) {
                            interrupted.addSuppressed(f);
                        }
                        throw interrupted;
                    }
                }
                continue; // step 1 looks at the breaker again
            }
            return new Result<>(Stop.SUCCESS, value, attempt, null, failures);
        }
    }

    private static List<Exception> add(List<Exception> failures, Exception e) {
        if (failures == null) {
            failures = new ArrayList<>(4);
        }
        failures.add(e);
        return failures;
    }

    /** The wait after the {@code failed}-th failed attempt (see {@link #withBackoff}). */
    Duration delay(int failed) {
        long lo = saturatedNanos(min);
        long hi = saturatedNanos(max);
        if (lo == hi) {
            return lo == 0 ? Duration.ZERO : min;
        }
        long base = lo == 0 ? ZERO_MIN_BASE_NANOS : lo;
        long ceiling = failed >= 62 || base > (hi >> failed) ? hi : Math.min(hi, base << failed);
        if (ceiling <= lo) {
            return Duration.ofNanos(lo);
        }
        long bound = ceiling == Long.MAX_VALUE ? ceiling : ceiling + 1; // exclusive
        return Duration.ofNanos(ThreadLocalRandom.current().nextLong(lo, bound));
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }

    @Override
    public String toString() {
        return "Retry[attempts " + attempts + ", backoff " + min + ".." + max
                + (retryIf == ANY ? "" : ", retryIf " + retryIf) + "]";
    }

    /** Why a {@link #run} stopped. */
    public enum Stop {
        /** An attempt returned a value. */
        SUCCESS,
        /** Every attempt failed with a failure that is retried. */
        EXHAUSTED,
        /** The breaker tripped: before an attempt, during a back-off wait, or during the last attempt (see the class comment). */
        BROKEN,
        /** The breaker's {@link Breaker#remaining()} was shorter than the next back-off wait. */
        OUT_OF_TIME,
        /** An attempt failed with a failure that is not retried. */
        FAILED
    }

    /**
     * How a {@link #run} ended: why it stopped, the value if it succeeded, how many attempts were
     * made, the breaker's reason if it stopped the run, and every failure in order. Immutable.
     *
     * @param <T> the type of the action's value
     */
    public static final class Result<T> {
        private final Stop stop;
        private final T value;
        private final int attempts;
        private final BreakReason reason;
        private final List<Exception> failures;

        Result(Stop stop, T value, int attempts, BreakReason reason, List<Exception> failures) {
            this.stop = stop;
            this.value = value;
            this.attempts = attempts;
            this.reason = reason;
            this.failures = failures == null ? List.of() : Collections.unmodifiableList(failures);
            if (stop != Stop.SUCCESS && failures != null) {
                Exception last = failures.get(failures.size() - 1);
                for (Exception f : failures) {
                    if (f != last) { // an action may throw the same instance every time
                        last.addSuppressed(f);
                    }
                }
            }
        }

        /**
         * Why the run stopped.
         *
         * @return the stop, never null
         */
        public Stop stop() {
            return stop;
        }

        /**
         * Whether an attempt returned a value ({@link Stop#SUCCESS}).
         *
         * @return true if {@link #value()} may be called
         */
        public boolean succeeded() {
            return stop == Stop.SUCCESS;
        }

        /**
         * The value the successful attempt returned (which may be null).
         *
         * @return what the action returned on its successful attempt, possibly null
         * @throws IllegalStateException if the run did not succeed
         */
        public T value() {
            if (stop != Stop.SUCCESS) {
                throw new IllegalStateException("no value: the retry stopped with " + stop);
            }
            return value;
        }

        /**
         * How many times the action was called: 0 if the breaker had tripped before the first.
         *
         * @return the number of calls of the action, from 0 to the policy's attempts
         */
        public int attempts() {
            return attempts;
        }

        /**
         * The breaker's reason, when the run stopped because it tripped ({@link Stop#BROKEN}), or
         * when a failure that is not retried came while it had tripped; else empty.
         *
         * @return the breaker's reason, or empty if the breaker did not end the run
         */
        public Optional<BreakReason> reason() {
            return Optional.ofNullable(reason);
        }

        /**
         * Every failure of the run, in the order of the attempts; empty if the first attempt
         * succeeded or none was made. Unmodifiable.
         *
         * @return the failures, oldest first; the last one carries the earlier ones as suppressed
         *         exceptions unless the run succeeded
         */
        public List<Exception> failures() {
            return failures;
        }

        /**
         * The last failure, or empty if there was none.
         *
         * @return the failure of the last attempt that failed, or empty if no attempt failed
         */
        public Optional<Exception> lastFailure() {
            return failures.isEmpty() ? Optional.empty() : Optional.of(failures.get(failures.size() - 1));
        }

        /**
         * The value if the run succeeded; otherwise throws.
         *
         * @return the value of the successful attempt, possibly null
         * @throws BrokenException a new one on each call, for {@link Stop#BROKEN}: the breaker's
         *                         reason, and the last failure (if any) as its cause
         * @throws Exception       the last failure, for every other stop; it carries the
         *                         earlier failures as suppressed exceptions
         */
        public T orThrow() throws Exception {
            switch (stop) {
                case SUCCESS:
                    return value;
                case BROKEN:
                    Exception cause = lastFailure().orElse(null);
                    throw cause == null ? new BrokenException(reason) : new BrokenException(reason, cause);
                default:
                    throw failures.get(failures.size() - 1);
            }
        }

        @Override
        public String toString() {
            return "Retry.Result[" + stop + " after " + attempts + (attempts == 1 ? " attempt" : " attempts")
                    + (reason == null ? "" : ", " + reason)
                    + (failures.isEmpty() ? "" : ", last failure " + failures.get(failures.size() - 1)) + "]";
        }
    }
}
