/**
 * The runtime half of the Breaker Quarkus extension. Nothing here is called by applications:
 * adding {@code dev.breaker:breaker-quarkus} is the whole setup. What it does on SIGTERM and
 * SIGINT (in a packaged application; not in dev or test mode), in Quarkus' own graceful shutdown:
 *
 * <pre>
 *   signal          Quarkus.asyncExit(0): Quarkus begins its stop (the process exits 0)
 *   pre-shutdown    readiness DOWN (breaker-workers); every HTTP/1.x response says Connection: close;
 *                   the application still serves for breaker.shutdown.readiness-delay
 *   shutdown        new requests 503 + Retry-After; those in flight finish (at most
 *                   quarkus.shutdown.timeout, 10 s if unset); then every breaker trips and the workers
 *                   stop in reverse order, while HTTP still answers
 *   Quarkus' stop   ShutdownEvent, HTTP closes, CDI is destroyed
 * </pre>
 *
 * A second signal during the sequence halts the process at once with 143 (130), after one line
 * ({@code BRKR019}) naming the step that had not finished.
 */
package dev.breaker.quarkus.runtime;
