/**
 * The {@link dev.breaker.Breaker}: a cancellation signal that trips once, for one
 * {@link dev.breaker.BreakReason}, and is carried to the code doing the work. Make one with
 * {@link dev.breaker.Breaker#byTimeout}, {@link dev.breaker.Breaker#byDeadline},
 * {@link dev.breaker.Breaker#bySignal}, {@link dev.breaker.Breaker#byFuture},
 * {@link dev.breaker.Breaker#multiplex} or {@link dev.breaker.Breaker#manual}; find the one
 * bounding the current thread's work with {@link dev.breaker.CurrentBreaker}; bound waits and
 * retries with {@link dev.breaker.Permits} and {@link dev.breaker.Retry}. Work refused or
 * abandoned because a breaker tripped fails with a {@link dev.breaker.BrokenException}.
 * JDK only. Every type here states its thread-safety contract. The package
 * {@code dev.breaker.internal} is not API.
 */
package dev.breaker;
