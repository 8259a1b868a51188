package dev.breaker.cdi.internal;

/**
 * A {@code @BreakerConfig} injection point seen at deployment. Immutable.
 *
 * @param name     the qualifier's value
 * @param location {@code com.example.Handler.breaker} or {@code com.example.Handler.<init>(breaker)}
 */
public record BreakerInjection(String name, String location) {
}
