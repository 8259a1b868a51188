package dev.breaker.mutiny;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;
import dev.breaker.BrokenException;
import dev.breaker.internal.BreakerHandle;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Mutiny pipelines bounded by a {@link Breaker}: when the breaker trips, the upstream
 * subscription is cancelled (its {@code onCancellation} / {@code onTermination} hooks run, so the
 * source stops its work) and the stream fails with a {@link BrokenException} carrying the reason.
 *
 * <pre>{@code
 * Uni<Order> order = BreakerMutiny.bound(breaker, client.fetchOrder(id));
 * Multi<Row> rows = BreakerMutiny.bound(breaker, repository.streamAll());
 * // or in a chain: uni.plug(u -> BreakerMutiny.bound(breaker, u))
 * }</pre>
 *
 * <ul>
 *   <li>Subscribed to after the breaker tripped: the upstream is never subscribed to; the stream
 *       fails at once. A trip that races the subscription itself may find the upstream just
 *       subscribed: it is then cancelled at once.</li>
 *   <li>One {@link Breaker#onBreak} registration per subscription, removed when the stream
 *       completes, fails or is cancelled downstream, so a long-lived breaker keeps nothing of
 *       finished streams.</li>
 *   <li>An item or completion that wins the race with the trip passes through; after the failure
 *       nothing more is delivered.</li>
 *   <li>An injected breaker (a CDI handle) is resolved when the stream is subscribed to, on the
 *       subscribing thread: subscribe on the request's thread.</li>
 * </ul>
 *
 * <p>Thread-safe: each subscription's signals to the downstream are serialised by its own lock;
 * the trip may come from any thread. The breaker registration is never closed while the closing
 * thread holds that lock, even reentrantly ({@code Registration.close()} waits for a running
 * action, and the action, a trip, takes the lock).
 */
public final class BreakerMutiny {
    private BreakerMutiny() {
    }

    /**
     * {@code upstream}, failing with the breaker's reason and cancelling upstream when it trips.
     *
     * @param <T>      the type of the item
     * @param breaker  bounds every subscription to the result; it is not closed by the stream
     * @param upstream the work to bound; subscribed to once per subscription to the result, and
     *                 not at all if the breaker has tripped by then
     * @return a lazy {@code Uni} that emits {@code upstream}'s item or failure, or fails with a
     *         {@link BrokenException} carrying the reason if the breaker trips first
     * @throws NullPointerException if {@code breaker} or {@code upstream} is null
     */
    public static <T> Uni<T> bound(Breaker breaker, Uni<T> upstream) {
        Objects.requireNonNull(breaker, "breaker");
        Objects.requireNonNull(upstream, "upstream");
        return Uni.createFrom().emitter(emitter -> {
            Breaker b = BreakerHandle.resolve(breaker);
            Optional<BreakReason> tripped = b.reason();
            if (tripped.isPresent()) {
                emitter.fail(new BrokenException(tripped.get()));
                return; // the upstream is never subscribed to
            }
            AtomicReference<Cancellable> subscription = new AtomicReference<>();
            Breaker.Registration registration = b.onBreak(() -> {
                Cancellable s = subscription.getAndSet(CANCELLED);
                if (s != null && s != CANCELLED) {
                    s.cancel();
                }
                emitter.fail(new BrokenException(b.reason().orElse(BreakReason.CLOSED)));
            });
            emitter.onTermination(() -> { // completed, failed, or cancelled downstream
                registration.close();
                Cancellable s = subscription.getAndSet(CANCELLED);
                if (s != null && s != CANCELLED) {
                    s.cancel(); // a no-op once the upstream has completed
                }
            });
            if (subscription.get() == CANCELLED) {
                return; // tripped (or cancelled downstream) while registering: never subscribe
            }
            Cancellable s = upstream.subscribe().with(emitter::complete, emitter::fail);
            if (!subscription.compareAndSet(null, s)) {
                s.cancel(); // tripped or terminated while subscribing
            }
        });
    }

    /**
     * {@code upstream}, failing with the breaker's reason and cancelling upstream when it trips.
     *
     * @param <T>      the type of the items
     * @param breaker  bounds every subscription to the result; it is not closed by the stream
     * @param upstream the stream to bound; subscribed to once per subscription to the result, and
     *                 not at all if the breaker has tripped by then
     * @return a lazy {@code Multi} that relays {@code upstream}'s items, completion or failure
     *         (honouring the downstream's requests), and fails with a {@link BrokenException}
     *         carrying the reason if the breaker trips before it ends
     * @throws NullPointerException if {@code breaker} or {@code upstream} is null
     */
    public static <T> Multi<T> bound(Breaker breaker, Multi<T> upstream) {
        Objects.requireNonNull(breaker, "breaker");
        Objects.requireNonNull(upstream, "upstream");
        return Multi.createFrom().publisher(downstream -> {
            Breaker b = BreakerHandle.resolve(breaker);
            Optional<BreakReason> tripped = b.reason();
            if (tripped.isPresent()) {
                downstream.onSubscribe(new Flow.Subscription() {
                    @Override
                    public void request(long n) {
                    }

                    @Override
                    public void cancel() {
                    }
                });
                downstream.onError(new BrokenException(tripped.get()));
                return;
            }
            upstream.subscribe(new Relay<>(b, downstream));
        });
    }

    private static final Cancellable CANCELLED = () -> { };

    /** Between the upstream and the downstream of one {@link #bound(Breaker, Multi)} subscription. */
    private static final class Relay<T> implements Flow.Subscriber<T>, Flow.Subscription {
        private final Breaker breaker;
        private final Flow.Subscriber<? super T> downstream;
        private final ReentrantLock lock = new ReentrantLock();
        private volatile Flow.Subscription upstream;
        private volatile Breaker.Registration registration;
        private volatile boolean cancelled;
        private boolean done;                 // guarded by lock
        private BrokenException pendingTrip;  // guarded by lock: a trip from inside a downstream signal
        private boolean closeOnUnlock;        // guarded by lock: the registration is to be closed once the lock is free

        Relay(Breaker breaker, Flow.Subscriber<? super T> downstream) {
            this.breaker = breaker;
            this.downstream = downstream;
        }

        /**
         * Registers on the breaker before the downstream can request anything: a source that
         * emits synchronously while the downstream subscribes (a range, a list) is then already
         * bounded. The lock is held throughout, so a trip from this thread (already tripped, or
         * by the downstream inside onNext) is delivered after onSubscribe, and a trip from
         * another thread cancels the upstream at once and fails the downstream once this ends.
         */
        @Override
        public void onSubscribe(Flow.Subscription s) {
            upstream = s;
            lock.lock();
            try {
                registration = breaker.onBreak(this::trip); // runs here, at once, if already tripped
                if (done) {
                    closeOnUnlock = true;
                }
                downstream.onSubscribe(this);
                deliverPendingTrip();
            } finally {
                unlock();
            }
        }

        @Override
        public void onNext(T item) {
            lock.lock();
            try {
                if (!done) {
                    downstream.onNext(item);
                    deliverPendingTrip();
                }
            } finally {
                unlock();
            }
        }

        @Override
        public void onError(Throwable failure) {
            terminate(failure);
        }

        @Override
        public void onComplete() {
            terminate(null);
        }

        private void terminate(Throwable failure) {
            lock.lock();
            try {
                if (done) {
                    return;
                }
                done = true;
                closeOnUnlock = true;
                if (failure == null) {
                    downstream.onComplete();
                } else {
                    downstream.onError(failure);
                }
            } finally {
                unlock();
            }
        }

        /** The breaker's action: cancel upstream, then fail downstream (deferred if a signal is being delivered on this thread). */
        private void trip() {
            Flow.Subscription s = upstream;
            if (s != null) {
                s.cancel();
            }
            BrokenException e = new BrokenException(breaker.reason().orElse(BreakReason.CLOSED));
            if (lock.isHeldByCurrentThread()) {
                pendingTrip = e; // the downstream tripped the breaker from inside onNext: fail after it returns
                return;
            }
            lock.lock();
            try {
                if (!done) {
                    done = true; // the registration is this action's own: it is spent
                    downstream.onError(e);
                }
            } finally {
                unlock();
            }
        }

        private void deliverPendingTrip() {
            BrokenException e = pendingTrip;
            if (e != null && !done) {
                pendingTrip = null;
                done = true; // the trip action that set it has returned: the registration is spent
                downstream.onError(e);
            }
        }

        /**
         * Releases the lock, and closes the registration once the lock is free: never while this
         * thread still holds it, also reentrantly (a cancel or completion from inside onNext or
         * onSubscribe), since {@code Registration.close()} waits for a trip action that is
         * running, and that action waits for the lock.
         */
        private void unlock() {
            boolean close = closeOnUnlock && lock.getHoldCount() == 1;
            if (close) {
                closeOnUnlock = false;
            }
            lock.unlock();
            if (close) {
                Breaker.Registration r = registration;
                if (r != null) {
                    r.close();
                }
            }
        }

        @Override
        public void request(long n) {
            Flow.Subscription s = upstream;
            if (s != null && !cancelled) {
                s.request(n);
            }
        }

        @Override
        public void cancel() {
            cancelled = true;
            Flow.Subscription s = upstream;
            if (s != null) {
                s.cancel();
            }
            lock.lock();
            try {
                done = true;
                closeOnUnlock = true;
            } finally {
                unlock();
            }
        }
    }
}
