package dev.breaker.worker;

import dev.breaker.Breaker;

/**
 * A worker's long-running body. It runs on its own thread once the worker has started, and
 * should return (or throw) soon after {@code stop} trips, which happens when the worker is asked
 * to stop. What happens when it returns or throws before that is the worker's policy
 * (nothing, restart, or shut everything down).
 *
 * <p>In CDI, a {@code @Worker} bean that implements this interface gets a supervised body.
 */
@FunctionalInterface
public interface Routine {
    void run(Breaker stop) throws Exception;
}
