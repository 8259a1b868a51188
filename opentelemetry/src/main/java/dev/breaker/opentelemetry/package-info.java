/**
 * OpenTelemetry metrics and spans of breakers and worker graphs:
 * {@link dev.breaker.opentelemetry.BreakerTelemetry}.
 *
 * <p><b>Dependencies.</b> The artifact {@code breaker-opentelemetry} depends on
 * {@code breaker-core} and on {@code io.opentelemetry:opentelemetry-api} in {@code provided}
 * scope: the runtime that gives the application its {@code OpenTelemetry} (MicroProfile
 * Telemetry on Open Liberty, Payara, WildFly and Helidon; Quarkus's OpenTelemetry extension;
 * or the application's own SDK) supplies the API, and the module must not bring a second copy
 * of it, in another version, into a server or a Quarkus application. A plain Java application
 * that uses this module has the API already, since it has an SDK to give it. The SDK
 * ({@code opentelemetry-sdk}) is an optional dependency, used only to flush at the end of a
 * shutdown when the application's instance is an SDK this module can see. Users who do not add
 * this module never pull OpenTelemetry: {@code breaker-core} depends on the JDK alone.
 *
 * <p>Not API: the package-private classes of this package.
 */
package dev.breaker.opentelemetry;
