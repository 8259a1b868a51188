package dev.breaker.internal;

/**
 * A breaker that trips only when closed or {@linkplain #trip tripped} by its owner; it holds
 * nothing to release. Thread safety as {@link AbstractBreaker}.
 */
public final class ManualBreaker extends AbstractBreaker {
}
