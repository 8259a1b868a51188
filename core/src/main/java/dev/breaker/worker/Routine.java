package dev.breaker.worker;

import dev.breaker.Breaker;

/**
 * A worker's long-running body. It runs on its own thread once the worker has started, and
 * should return (or throw) soon after {@code stop} trips, which happens when the worker is asked
 * to stop. What happens when it returns or throws before that is the worker's policy
 * (nothing, restart, or shut everything down).
 *
 * <p><b>Threading.</b> The routine runs on a thread of its own (see {@link WorkerGraph}), one
 * run at a time; a restart runs on the same thread. Its supervisor survives anything it throws:
 * an exception is the worker's failure and goes to its {@link Policy}, and a
 * {@link VirtualMachineError} shuts the graph down whatever the policy. If the routine returns
 * with its thread's interrupt flag set, the flag is cleared (and logged) before the policy
 * applies, so that a restart begins with a clear flag. Once {@code stop} has tripped, whatever
 * the routine returns or throws ends it without any policy.
 *
 * <p>In CDI, a {@code @Worker} bean that implements this interface gets a supervised body.
 */
@FunctionalInterface
public interface Routine {
    /**
     * Runs the body until it is done or {@code stop} trips.
     *
     * @param stop trips when the worker is asked to stop (the graph's shutdown); the routine
     *             should then return soon. Closing it does nothing: the graph owns it.
     *             {@link dev.breaker.CurrentBreaker#get()} on the routine's thread finds a breaker
     *             that trips with it
     * @throws Exception the routine's failure, handed to the worker's {@link WorkerSpec#onError()
     *                   onError} policy unless {@code stop} has tripped
     */
    void run(Breaker stop) throws Exception;
}
