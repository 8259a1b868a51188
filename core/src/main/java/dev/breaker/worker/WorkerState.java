package dev.breaker.worker;

/**
 * The life cycle of one worker. Legal transitions:
 *
 * <pre>
 *   NEW ──► STARTING ──► RUNNING ──► STOPPING ──► STOPPED
 *              │                        │
 *              └──────► FAILED ◄────────┘
 * </pre>
 *
 * A worker that never started (because a start failed or shutdown began first) stays
 * {@link #NEW}. {@link #FAILED} records a start that threw, timed out or was cancelled by
 * shutdown, a start still running when its stop timeout after shutdown began elapsed, and a stop
 * that threw or overran its timeout. Immutable (an enum).
 */
public enum WorkerState {
    /** Not started yet; a worker that never started stays here. */
    NEW,
    /** Its start action is running. */
    STARTING,
    /** Its start returned; its routine, if any, runs. */
    RUNNING,
    /** Its routine is being stopped or its stop action is running. */
    STOPPING,
    /** Its stop returned in time. Terminal. */
    STOPPED,
    /** Its start or stop threw, timed out or was cancelled (see the class comment). Terminal. */
    FAILED;

    /**
     * Whether no further transition can happen ({@link #STOPPED} or {@link #FAILED}).
     *
     * @return true for {@link #STOPPED} and {@link #FAILED}, false for every other state
     */
    public boolean isTerminal() {
        return this == STOPPED || this == FAILED;
    }
}
