/**
 * MicroProfile Context Propagation for {@link dev.breaker.CurrentBreaker}: the
 * {@link dev.breaker.context.BreakerContextProvider}, loaded by the service loader, carries the
 * current breaker to tasks of a {@code ManagedExecutor} or a {@code ThreadContext}.
 */
package dev.breaker.context;
