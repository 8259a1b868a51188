/**
 * The worker graph: workers with named dependencies, started in dependency order and stopped in
 * reverse, in parallel where the graph allows, each bounded by a timeout, with supervised
 * routines, job runners and bound resources. Plain Java: no CDI. Start with
 * {@link dev.breaker.worker.WorkerGraph}, whose Javadoc says on which thread each action,
 * routine, job and listener runs and what happens to one that throws (an {@link Error} included)
 * or overruns its timeout. Every type here states its thread-safety contract. The package
 * {@code dev.breaker.worker.internal} is not API.
 */
package dev.breaker.worker;
