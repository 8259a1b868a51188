/**
 * Mutiny {@code Uni} and {@code Multi} pipelines bounded by a {@link dev.breaker.Breaker}: start
 * with {@link dev.breaker.mutiny.BreakerMutiny#bound(dev.breaker.Breaker, io.smallrye.mutiny.Uni)}.
 */
package dev.breaker.mutiny;
