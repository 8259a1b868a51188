package dev.breaker;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Why a {@link Breaker} tripped. Immutable and thread-safe.
 *
 * <p>A reason has a {@link #kind() kind}, a human-readable {@link #detail() detail} (the timeout,
 * the deadline, the signal name, …) and, for {@link Kind#CHILD} and {@link Kind#PARENT}, the
 * {@link #cause() reason} of the breaker it came from; {@link #root()} follows that chain.
 */
public final class BreakReason implements java.io.Serializable {
    private static final long serialVersionUID = 1L;


    /** The kinds of reason. */
    public enum Kind {
        /** A {@link Breaker#byTimeout} timeout (or a {@link Breaker#withTimeout} child's) elapsed. */
        TIMEOUT,
        /** A {@link Breaker#byDeadline} deadline passed. */
        DEADLINE,
        /** An OS signal arrived; {@link #detail()} names it, such as {@code "signal SIGTERM"}. */
        SIGNAL,
        /** The future given to {@link Breaker#byFuture} completed. */
        FUTURE,
        /** {@link Breaker#close()} was called while the breaker was live. */
        CLOSED,
        /** The application (or worker graph) began to shut down. */
        SHUTDOWN,
        /** A child of a {@link Breaker#multiplex multiplex} tripped; see {@link #childIndex()}. */
        CHILD,
        /** The parent of a {@link Breaker#withTimeout} child tripped; see {@link #cause()}. */
        PARENT,
        /**
         * The time budget that the caller sent with a request ran out (the
         * {@link dev.breaker.http.Budget#HEADER} header): the caller has stopped waiting.
         * {@link #detail()} names the budget and where it came from.
         */
        BUDGET
    }

    /** The reason of every breaker closed while live. */
    public static final BreakReason CLOSED = new BreakReason(Kind.CLOSED, "closed", -1, null);

    /** What tripped the breaker. */
    private final Kind kind;
    /** Made on first use for timeouts, deadlines (from {@link #source}) and children: most are never read. */
    private String detail;
    /** The {@link Duration} of a timeout, the {@link Instant} of a deadline, {budget, from} of a budget; else null. */
    private final Object source;
    /** For {@link Kind#CHILD}: the index of the child that tripped; else -1. */
    private final int childIndex;
    /** For {@link Kind#CHILD} and {@link Kind#PARENT}: the reason of that breaker; else null. */
    private final BreakReason cause;

    private BreakReason(Kind kind, String detail, int childIndex, BreakReason cause) {
        this(kind, detail, null, childIndex, cause);
    }

    private BreakReason(Kind kind, String detail, Object source, int childIndex, BreakReason cause) {
        this.kind = kind;
        this.detail = detail;
        this.source = source;
        this.childIndex = childIndex;
        this.cause = cause;
    }

    /**
     * A timeout elapsed.
     *
     * @param timeout the timeout that elapsed, as it was given
     * @return a {@link Kind#TIMEOUT} reason whose {@link #detail()} is {@code "timeout "} followed
     *         by the duration, such as {@code "timeout PT2S"}
     * @throws NullPointerException if {@code timeout} is null
     */
    public static BreakReason timeout(Duration timeout) {
        return new BreakReason(Kind.TIMEOUT, null, Objects.requireNonNull(timeout, "timeout"), -1, null);
    }

    /**
     * A deadline passed.
     *
     * @param deadline the deadline that passed, as it was given
     * @return a {@link Kind#DEADLINE} reason whose {@link #detail()} is {@code "deadline "} followed
     *         by the instant
     * @throws NullPointerException if {@code deadline} is null
     */
    public static BreakReason deadline(Instant deadline) {
        return new BreakReason(Kind.DEADLINE, null, Objects.requireNonNull(deadline, "deadline"), -1, null);
    }

    /**
     * An OS signal arrived.
     *
     * @param signalName the signal's name as the breaker reports it, such as {@code "SIGTERM"}
     * @return a {@link Kind#SIGNAL} reason whose {@link #detail()} is {@code "signal "} followed
     *         by the name
     * @throws NullPointerException if {@code signalName} is null
     */
    public static BreakReason signal(String signalName) {
        return new BreakReason(Kind.SIGNAL, "signal " + Objects.requireNonNull(signalName), -1, null);
    }

    /**
     * A watched future completed.
     *
     * @param failure what the future failed with, or null if it completed normally
     * @return a {@link Kind#FUTURE} reason whose {@link #detail()} is {@code "future completed"}
     *         or {@code "future failed: "} followed by the failure
     */
    public static BreakReason future(Throwable failure) {
        return new BreakReason(Kind.FUTURE, failure == null ? "future completed"
                : "future failed: " + failure, -1, null);
    }

    /**
     * A shutdown reason; {@code detail} says whose shutdown, such as {@code "application"}.
     *
     * @param detail whose shutdown it is
     * @return a {@link Kind#SHUTDOWN} reason whose {@link #detail()} is {@code "shutdown of "}
     *         followed by {@code detail}
     * @throws NullPointerException if {@code detail} is null
     */
    public static BreakReason shutdown(String detail) {
        return new BreakReason(Kind.SHUTDOWN, "shutdown of " + Objects.requireNonNull(detail), -1, null);
    }

    /**
     * A caller's budget ran out.
     *
     * @param budget the budget as received
     * @param from   where it came from, such as {@code "header Breaker-Budget"}
     * @return a {@link Kind#BUDGET} reason whose {@link #detail()} gives the budget in milliseconds
     *         and where it came from
     * @throws NullPointerException if {@code budget} or {@code from} is null
     */
    public static BreakReason budget(Duration budget, String from) {
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(from, "from");
        return new BreakReason(Kind.BUDGET, null, new Object[]{budget, from}, -1, null); // detail made on demand
    }

    /**
     * A child of a {@link Breaker#multiplex multiplex} tripped.
     *
     * @param index       the child's index among the multiplex's arguments
     * @param childReason the child's reason, kept as the {@link #cause()}
     * @return a {@link Kind#CHILD} reason whose {@link #detail()} is {@code "child #"} followed by
     *         the index
     * @throws NullPointerException if {@code childReason} is null
     */
    public static BreakReason child(int index, BreakReason childReason) {
        Objects.requireNonNull(childReason, "childReason");
        return new BreakReason(Kind.CHILD, null, index, childReason); // detail made on demand
    }

    /**
     * The parent of a child breaker tripped.
     *
     * @param parentReason the parent's reason, kept as the {@link #cause()}
     * @return a {@link Kind#PARENT} reason whose {@link #detail()} is {@code "parent"}
     * @throws NullPointerException if {@code parentReason} is null
     */
    public static BreakReason parent(BreakReason parentReason) {
        Objects.requireNonNull(parentReason, "parentReason");
        return new BreakReason(Kind.PARENT, "parent", -1, parentReason);
    }

    /**
     * What kind of event tripped the breaker.
     *
     * @return the kind, never null
     */
    public Kind kind() {
        return kind;
    }

    /**
     * A short description, such as {@code "timeout PT2S"} or {@code "signal SIGTERM"}.
     *
     * @return the description, never null; for a chained reason it describes this link only
     *         ({@link #toString()} gives the whole chain)
     */
    public String detail() {
        String d = detail;
        if (d == null) { // a benign race: every thread makes the same immutable string
            if (kind == Kind.BUDGET) {
                Object[] b = (Object[]) source;
                d = "budget " + ((Duration) b[0]).toMillis() + " ms from " + b[1];
            } else {
                d = kind == Kind.CHILD ? "child #" + childIndex
                        : (kind == Kind.TIMEOUT ? "timeout " : "deadline ") + source;
            }
            detail = d;
        }
        return d;
    }

    /**
     * For {@link Kind#CHILD}: the index of the child among the multiplex's arguments; else -1.
     *
     * @return the child's index from 0, or -1 if this is not a {@link Kind#CHILD} reason
     */
    public int childIndex() {
        return childIndex;
    }

    /**
     * For {@link Kind#CHILD} and {@link Kind#PARENT}: the reason of that breaker.
     *
     * @return the reason of the child or parent that tripped, or empty for every other kind
     */
    public Optional<BreakReason> cause() {
        return Optional.ofNullable(cause);
    }

    /**
     * The reason at the end of the {@link #cause()} chain: what really tripped.
     *
     * @return the last reason of the chain, or this reason if it has no cause
     */
    public BreakReason root() {
        BreakReason r = this;
        while (r.cause != null) {
            r = r.cause;
        }
        return r;
    }

    /**
     * Keeps {@link #CLOSED} one instance through serialization.
     *
     * @return {@link #CLOSED} for a deserialized closed reason, else this reason
     */
    private Object readResolve() {
        return kind == Kind.CLOSED && cause == null ? CLOSED : this;
    }

    @Override
    public String toString() {
        return cause == null ? detail() : detail() + ": " + cause;
    }
}
