package dev.breaker;

import java.util.Objects;
import java.util.concurrent.CancellationException;

/**
 * Thrown when work is refused or abandoned because a {@link Breaker} has tripped. It is a
 * {@link CancellationException}, so code that already understands cancelled futures handles it.
 * Like every exception it is not meant to be shared between threads while being modified; its
 * reason is immutable.
 */
public class BrokenException extends CancellationException {
    private static final long serialVersionUID = 1L;

    /** Why the breaker tripped; never null. */
    private final BreakReason reason; // serializable: the reason survives serialization

    /**
     * An exception for a breaker that tripped for {@code reason}; its message is
     * {@code "breaker tripped: "} followed by the reason.
     *
     * @param reason why the breaker tripped
     * @throws NullPointerException if {@code reason} is null
     */
    public BrokenException(BreakReason reason) {
        super("breaker tripped: " + Objects.requireNonNull(reason, "reason"));
        this.reason = reason;
    }

    /**
     * As {@link #BrokenException(BreakReason)}, with {@code cause} as the cause: the failure of
     * work that the trip interrupted or cut short.
     *
     * @param reason why the breaker tripped
     * @param cause  the failure the trip led to, or null if there is none
     * @throws NullPointerException if {@code reason} is null
     */
    public BrokenException(BreakReason reason, Throwable cause) {
        this(reason);
        initCause(cause);
    }

    /**
     * Why the breaker tripped.
     *
     * @return the reason given on construction, never null (also after deserialization)
     */
    public BreakReason reason() {
        return reason;
    }
}
