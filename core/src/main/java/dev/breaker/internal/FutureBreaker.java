package dev.breaker.internal;

import dev.breaker.BreakReason;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * Trips when a {@link CompletionStage} completes. A stage cannot unregister a callback, so the
 * stage holds only a {@link Link} whose reference to this breaker is cleared on release.
 * Thread safety as {@link AbstractBreaker}; the link's target is volatile.
 */
final class FutureBreaker extends AbstractBreaker {
    private final Link link = new Link(this);

    static FutureBreaker of(CompletionStage<?> stage) {
        if (stage == null) {
            throw new NullPointerException("stage must not be null");
        }
        FutureBreaker b = new FutureBreaker();
        stage.whenComplete(b.link);
        return b;
    }

    @Override
    protected void release() {
        link.target = null;
    }

    private static final class Link implements BiConsumer<Object, Throwable> {
        volatile FutureBreaker target;

        Link(FutureBreaker target) {
            this.target = target;
        }

        @Override
        public void accept(Object value, Throwable failure) {
            FutureBreaker b = target;
            if (b != null) {
                Throwable f = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                b.trip(BreakReason.future(f));
            }
        }
    }
}
