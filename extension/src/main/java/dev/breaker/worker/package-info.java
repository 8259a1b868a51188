/**
 * The worker graph: workers with named dependencies, started in dependency order and stopped in
 * reverse, in parallel where the graph allows, each bounded by a timeout, with supervised
 * routines, job runners and bound resources. Plain Java: no CDI. Start with
 * {@link dev.breaker.worker.WorkerGraph}. The package {@code dev.breaker.worker.internal} is not
 * API.
 */
package dev.breaker.worker;
