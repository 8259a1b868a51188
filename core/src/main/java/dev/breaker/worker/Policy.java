package dev.breaker.worker;

/**
 * What a worker's supervisor does when its {@link Routine} returns or throws while the worker
 * has not been asked to stop (rutina's run policies). A {@link VirtualMachineError} thrown by
 * the routine shuts the graph down whatever the policy. No routine ends silently: under
 * {@link #RESTART}, an interrupt of the supervisor's thread during the back-off by anything but
 * the graph escalates to a graph shutdown too. Immutable (an enum).
 */
public enum Policy {
    /** Log it and leave the worker {@link WorkerState#RUNNING} without a body. */
    NOTHING,
    /**
     * Run the routine again after a back-off, at most {@link WorkerSpec#maxRestarts()} times
     * within {@link WorkerSpec#restartWindow()}; one more escalates to a graph shutdown whose
     * cause is the last failure.
     */
    RESTART,
    /** Shut the whole graph down; a failure becomes the shutdown's cause. */
    SHUTDOWN
}
