package dev.breaker.http;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;
import dev.breaker.BrokenException;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One {@link HttpClient} exchange bounded by a {@link Breaker}: it is not sent if the breaker
 * has tripped, it is given no more time than the breaker has left, and it is aborted, its
 * connection closed, if the breaker trips while it runs.
 *
 * <pre>{@code
 * try (Breaker breaker = Breaker.byTimeout(Duration.ofSeconds(2))) {
 *     HttpResponse<String> response = Http.send(breaker, client, request, BodyHandlers.ofString());
 * } catch (BrokenException e) {
 *     // not sent, or abandoned: e.reason() says why
 * }
 * }</pre>
 *
 * <h2>What an exchange does</h2>
 * <ol>
 *   <li>If the breaker has tripped, nothing is sent: the call fails with a
 *       {@link BrokenException} carrying its reason. If {@link Breaker#remaining()} is
 *       {@link Duration#ZERO} (its time is up but its timer has not fired yet), nothing is sent
 *       either: the call fails with the reason once the breaker trips (a breaker that reported
 *       ZERO and never tripped would leave it waiting).
 *   <li>The request's timeout becomes the earlier of its own {@link HttpRequest#timeout()} and the
 *       breaker's {@link Breaker#remaining()}, and that time travels to the server in the
 *       {@link Budget#HEADER} header (whole milliseconds; if the request already carries that
 *       header, the smaller), so that a service using this library there stops when the caller
 *       stops waiting. Only under a breaker with a time (a timeout or deadline
 *       somewhere in it): the request is then rebuilt, every other header kept.
 *   <li>The request goes to {@link HttpClient#sendAsync(HttpRequest, HttpResponse.BodyHandler)};
 *       one {@link Breaker#onBreak} action is registered for the span of the exchange, and is
 *       removed the moment the exchange completes, so a long-lived breaker keeps nothing of a
 *       finished exchange.
 *   <li>If the breaker trips first, its action cancels the client's future with
 *       {@code cancel(true)}. On the JDK's own client (JDK 16 and later) that aborts the
 *       exchange: an HTTP/1.1 connection is closed, not returned to the pool, and the server sees
 *       it closed within milliseconds (verified on JDK 17 and 25 by this library's tests, also
 *       while the response body is being read). On an HTTP/2 connection, shared by many
 *       exchanges, what the cancellation does (the stream's reset) is the JDK's and is not
 *       exercised by these tests. No thread is interrupted. Another {@code HttpClient}
 *       implementation is aborted only as far as cancelling its future does so; the caller's
 *       failure waits for that future to complete.
 * </ol>
 *
 * <h2>Outcome</h2>
 * <ul>
 *   <li>A response passes through unchanged, even if the breaker tripped just after it came.
 *   <li>If the exchange fails and the breaker has tripped by then, the failure is a
 *       {@link BrokenException} with the breaker's reason and the exchange's failure as its cause
 *       (the {@link java.util.concurrent.CancellationException} of the aborted exchange, or an
 *       {@link IOException}). This includes the {@link HttpTimeoutException} of a request whose
 *       timeout was the breaker's time: the timeout and the breaker are then due together, and
 *       the caller waits for the breaker's reason (a short while: if the breaker has still not
 *       tripped two seconds later, the timeout passes through unchanged).
 *   <li>Any other failure (refused connection, the request's own shorter timeout, a body handler
 *       that throws) passes through unchanged: {@link #send} throws the exchange's own
 *       exception, and the future of {@link #sendAsync} fails with it.
 * </ul>
 *
 * <h2>Body handlers</h2>
 * The exchange is complete when the client's future is: for handlers that read the whole body
 * ({@code ofString}, {@code ofByteArray}, {@code ofFile}, {@code discarding}) that is after the
 * last byte, so the breaker bounds the whole body (the request timeout alone does not: the JDK's
 * client applies it only until the response headers arrive, as seen on JDK 17 and 25). For streaming handlers
 * ({@code ofInputStream}, {@code ofLines}, {@code ofPublisher}) it is when the headers arrive:
 * reading the body afterwards is not bounded by this class (close the stream from your own
 * {@link Breaker#onBreak} action for that).
 *
 * <h2>Thread safety</h2>
 * This class is stateless: both methods may be called from any thread, concurrently, with the
 * same breaker and client; one breaker may bound any number of exchanges at once. The future of
 * {@link #sendAsync} completes on the thread that completes the client's future: one of the
 * client's threads, or, when the breaker trips, possibly the thread running the breaker's actions
 * (see {@link Breaker}); its dependent stages run there unless given an executor.
 */
public final class Http {
    /**
     * How long a caller waits for a breaker whose time is up (its time was the request timeout
     * that fired) to trip; it normally does within a timer tick.
     */
    static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** The client's timer runs on the wall clock, ours on the monotonic one. */
    private static final long CLOCK_SKEW_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private Http() {
    }

    /**
     * Sends {@code request} with {@code client} under {@code breaker} and waits for the response,
     * as {@link HttpClient#send} does; the class comment says what the breaker does to it. The
     * calling thread is never interrupted by the breaker; if someone else interrupts it while it
     * waits, the exchange is cancelled and {@link InterruptedException} thrown, as
     * {@link HttpClient#send} does since JDK 16.
     *
     * <p>Thread safety: safe from any thread; the call blocks only the calling thread.
     *
     * @param breaker what bounds the exchange
     * @param client  the client that sends it
     * @param request the request; sent as it is, or with the breaker's time as its timeout
     * @param handler the response body handler, given to the client as it is
     * @param <T>     the response body type
     * @return the response, unchanged
     * @throws BrokenException      if the breaker had tripped before the call (nothing sent), or
     *                              tripped during the exchange (see the class comment)
     * @throws IOException          the exchange's own I/O failure, unrelated to the breaker
     * @throws InterruptedException if the calling thread was interrupted while waiting
     * @throws NullPointerException     if an argument is null; the message names it
     * @throws IllegalArgumentException as the client's {@code send} does, for a request it
     *                                  cannot send (an unsupported URI scheme, for one)
     */
    public static <T> HttpResponse<T> send(Breaker breaker, HttpClient client, HttpRequest request,
                                           HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        CompletableFuture<HttpResponse<T>> exchange = sendAsync(breaker, client, request, handler);
        try {
            return exchange.get();
        } catch (InterruptedException e) {
            exchange.cancel(true); // aborts the exchange and removes the breaker's action
            throw e;
        } catch (ExecutionException | CancellationException e) {
            // the future's own failure: newer JDKs wrap a CancellationException (our
            // BrokenException) in a new one when get() throws it
            Throwable failure = exchange.handle((response, f) -> f).join();
            if (failure instanceof IOException) {
                throw (IOException) failure;
            }
            if (failure instanceof RuntimeException) {
                throw (RuntimeException) failure;
            }
            if (failure instanceof Error) {
                throw (Error) failure;
            }
            throw new IOException(failure);
        }
    }

    /**
     * Sends {@code request} with {@code client} under {@code breaker}, as
     * {@link HttpClient#sendAsync(HttpRequest, HttpResponse.BodyHandler)} does; the class comment
     * says what the breaker does to it. If the breaker has tripped, the result is a future failed
     * with a {@link BrokenException} and nothing is sent. Cancelling or completing the returned
     * future abandons the exchange: it is aborted (when still running) and the breaker's action
     * removed.
     *
     * <p>The future fails with the {@link BrokenException} itself, as {@link Breaker#submit}'s
     * does: {@code handle}, {@code whenComplete} and {@code exceptionally} on it receive it as
     * is. Being a {@link CancellationException}, it makes {@code isCancelled()} true, and
     * {@code join()} and {@code get()} throw it directly on JDK 17, while newer JDKs (25, for
     * one) throw a new {@code CancellationException} whose cause it is. Other failures come as
     * from the client's future: {@code join()} throws a {@link CompletionException} and
     * {@code get()} an {@link ExecutionException} with the exchange's own failure as the cause.
     *
     * <p>Thread safety: safe from any thread; never blocks (the request is handed to the client
     * on the calling thread, as the client's own {@code sendAsync} does).
     *
     * @param breaker what bounds the exchange
     * @param client  the client that sends it
     * @param request the request; sent as it is, or with the breaker's time as its timeout
     * @param handler the response body handler, given to the client as it is
     * @param <T>     the response body type
     * @return a future of the response, failing as described in the class comment
     * @throws NullPointerException     if an argument is null; the message names it
     * @throws IllegalArgumentException as the client's {@code sendAsync} does, for a request it
     *                                  cannot send (an unsupported URI scheme, for one)
     */
    public static <T> CompletableFuture<HttpResponse<T>> sendAsync(Breaker breaker, HttpClient client,
                                                                   HttpRequest request,
                                                                   HttpResponse.BodyHandler<T> handler) {
        Objects.requireNonNull(breaker, "breaker");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(handler, "handler");
        // an injected handle stands for the request's breaker on this thread only: the
        // callbacks run on the client's threads
        return exchange(dev.breaker.internal.BreakerHandle.resolve(breaker), client, request, handler);
    }

    private static <T> CompletableFuture<HttpResponse<T>> exchange(Breaker breaker, HttpClient client,
                                                                   HttpRequest request,
                                                                   HttpResponse.BodyHandler<T> handler) {
        Optional<BreakReason> tripped = breaker.reason();
        if (tripped.isPresent()) {
            return CompletableFuture.failedFuture(new BrokenException(tripped.get()));
        }
        Optional<Duration> remaining = breaker.remaining();
        long start = System.nanoTime(); // after remaining(): the breaker is due by start + budget
        long budget = -1; // the breaker's time, in nanoseconds, if it became the request timeout
        if (remaining.isPresent()) {
            Duration left = remaining.get();
            if (left.isZero() || left.isNegative()) {
                return failWhenTripped(breaker);
            }
            Optional<Duration> own = request.timeout();
            boolean shorter = own.isEmpty() || left.compareTo(own.get()) < 0;
            Optional<Duration> carried = Budget.parse(request.headers().allValues(Budget.HEADER));
            Duration sent = shorter ? left : own.get(); // the caller stops waiting at the earlier of the two
            if (carried.isPresent() && carried.get().compareTo(sent) < 0) {
                sent = carried.get();
            }
            HttpRequest.Builder b = HttpRequest.newBuilder(request, (name, value) -> !name.equalsIgnoreCase(Budget.HEADER))
                    .header(Budget.HEADER, Budget.format(sent));
            if (shorter) {
                b.timeout(left);
                budget = nanos(left);
            }
            request = b.build();
        }
        CompletableFuture<HttpResponse<T>> exchange = client.sendAsync(request, handler);
        CompletableFuture<HttpResponse<T>> result = new CompletableFuture<>();
        // runs at once, here, if the breaker tripped since the check above
        Breaker.Registration abort = breaker.onBreak(() -> exchange.cancel(true));
        long breakerBudget = budget;
        exchange.whenComplete((response, failure) -> {
            abort.close(); // returns at once when called from the action itself
            if (failure == null) {
                result.complete(response);
            } else {
                fail(result, breaker, unwrap(failure), breakerBudget, start);
            }
        });
        result.whenComplete((response, failure) -> {
            if (!exchange.isDone()) {
                exchange.cancel(true); // the caller cancelled or completed it: abandon the exchange
            }
            abort.close(); // done already, unless a client's future ignores its cancellation
        });
        return result;
    }

    /** Completes {@code result} with the failure the caller is to see (see the class comment). */
    private static void fail(CompletableFuture<?> result, Breaker breaker, Throwable failure,
                             long budget, long start) {
        if (failure instanceof BrokenException) {
            result.completeExceptionally(failure); // a breaker's verdict already (a body handler's)
            return;
        }
        Optional<BreakReason> reason = breaker.reason();
        if (reason.isPresent()) {
            result.completeExceptionally(new BrokenException(reason.get(), failure));
            return;
        }
        if (budget >= 0 && failure instanceof HttpTimeoutException
                && System.nanoTime() - start >= budget - CLOCK_SKEW_NANOS) {
            // the timeout that fired was the breaker's time: the breaker is due, take its reason
            tripWithin(breaker, GRACE_NANOS).thenAccept(r -> result.completeExceptionally(
                    r != null ? new BrokenException(r, failure) : failure));
            return;
        }
        result.completeExceptionally(failure);
    }

    /** A future of the breaker's reason when it trips; of null if it has not within {@code nanos}. */
    private static CompletableFuture<BreakReason> tripWithin(Breaker breaker, long nanos) {
        CompletableFuture<BreakReason> reason = new CompletableFuture<>();
        Breaker.Registration registration = breaker.onBreak(() -> reason.complete(breaker.reason().orElseThrow()));
        reason.completeOnTimeout(null, nanos, TimeUnit.NANOSECONDS);
        return reason.whenComplete((r, failure) -> registration.close()); // removed before it is used
    }

    /** A future that fails with the breaker's reason when it trips, for a breaker out of time. */
    private static <T> CompletableFuture<T> failWhenTripped(Breaker breaker) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Breaker.Registration registration = breaker.onBreak(() -> result.completeExceptionally(
                new BrokenException(breaker.reason().orElseThrow())));
        result.whenComplete((r, failure) -> registration.close()); // also when the caller cancels
        return result;
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
    }

    private static long nanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }
}
