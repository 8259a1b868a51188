/**
 * Breakers and workers in a CDI container (CDI Full through the portable
 * {@link dev.breaker.cdi.BreakerExtension}, Quarkus through its build compatible twin): an
 * injected {@code Breaker} or {@link dev.breaker.cdi.BreakerConfig @BreakerConfig} one bounds
 * each request and trips when the application begins to shut down;
 * {@link dev.breaker.cdi.BreakerFactory} makes configured breakers outside a request;
 * {@link dev.breaker.cdi.Worker @Worker} beans, ordered by {@link dev.breaker.cdi.DependsOn},
 * start at boot and stop at shutdown in reverse order; {@link dev.breaker.cdi.ShutdownSequence}
 * lets the application own the moments of its shutdown. Configuration comes from MicroProfile
 * Config ({@code breaker.*}) and is checked at deployment. The package
 * {@code dev.breaker.cdi.internal} and its subpackages are not API.
 */
package dev.breaker.cdi;
