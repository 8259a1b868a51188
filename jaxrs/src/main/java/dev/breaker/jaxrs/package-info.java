/**
 * Request budgets that travel with Jakarta REST: {@link dev.breaker.jaxrs.BudgetFilter} bounds
 * an incoming request's breakers by the caller's {@code Breaker-Budget} header (except where
 * {@link dev.breaker.jaxrs.NoBudget @NoBudget} says not to), and
 * {@link dev.breaker.jaxrs.BudgetClientFilter} sends the current breaker's time left with an
 * outgoing client call. The header's format is {@link dev.breaker.http.Budget}'s.
 */
package dev.breaker.jaxrs;
