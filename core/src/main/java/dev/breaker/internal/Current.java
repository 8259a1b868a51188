package dev.breaker.internal;

import dev.breaker.Breaker;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The storage behind {@link dev.breaker.CurrentBreaker}: the breaker bound to this thread, and one
 * fallback that an integration installs (the CDI extension: the current request's breaker).
 *
 * <p>Thread-safe: the binding is per thread; the fallback is one atomic reference, installed and
 * removed by its owner only ({@link #installFallback} returns the way to undo it).
 */
public final class Current {
    /** Bound where a task must find no breaker, even where a fallback would have one. */
    public static final Breaker NONE = Breakers.manual();
    private static final ThreadLocal<Breaker> BOUND = new ThreadLocal<>();
    private static final AtomicReference<Supplier<Breaker>> FALLBACK = new AtomicReference<>();

    private Current() {
    }

    /** The breaker bound to this thread, or null. */
    public static Breaker bound() {
        return BOUND.get();
    }

    /** Binds {@code b} (null unbinds) and returns what was bound before. */
    public static Breaker swap(Breaker b) {
        Breaker previous = BOUND.get();
        if (b == null) {
            BOUND.remove();
        } else {
            BOUND.set(b);
        }
        return previous;
    }

    /** The fallback's breaker for this thread, or null (no fallback, or it has none here). */
    public static Breaker fallback() {
        Supplier<Breaker> f = FALLBACK.get();
        return f == null ? null : f.get();
    }

    /**
     * Installs {@code fallback}, asked when no breaker is bound to the thread (it returns null
     * where it has none). One at a time: an integration that finds another installed gets
     * {@code false}, and its breakers are not found that way.
     *
     * @return a runnable that removes this fallback (and nothing installed after it), or null if
     *         another fallback was installed already
     */
    public static Runnable installFallback(Supplier<Breaker> fallback) {
        Objects.requireNonNull(fallback, "fallback");
        if (!FALLBACK.compareAndSet(null, fallback)) {
            return null;
        }
        return () -> FALLBACK.compareAndSet(fallback, null);
    }
}
