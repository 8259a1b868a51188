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

    private final BreakReason reason; // serializable: the reason survives serialization

    public BrokenException(BreakReason reason) {
        super("breaker tripped: " + Objects.requireNonNull(reason, "reason"));
        this.reason = reason;
    }

    public BrokenException(BreakReason reason, Throwable cause) {
        this(reason);
        initCause(cause);
    }

    /** Why the breaker tripped. */
    public BreakReason reason() {
        return reason;
    }
}
