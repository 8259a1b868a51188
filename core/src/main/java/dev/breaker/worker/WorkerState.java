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
    NEW, STARTING, RUNNING, STOPPING, STOPPED, FAILED;

    /** Whether no further transition can happen ({@link #STOPPED} or {@link #FAILED}). */
    public boolean isTerminal() {
        return this == STOPPED || this == FAILED;
    }
}
