/**
 * One {@link java.net.http.HttpClient} exchange bounded by a {@link dev.breaker.Breaker}: start
 * with {@link dev.breaker.http.Http}. JDK only ({@code java.net.http}). Every type here states
 * its thread-safety contract.
 */
package dev.breaker.http;
