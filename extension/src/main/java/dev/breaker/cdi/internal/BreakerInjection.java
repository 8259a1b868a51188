package dev.breaker.cdi.internal;

import jakarta.enterprise.inject.spi.AnnotatedParameter;
import jakarta.enterprise.inject.spi.InjectionPoint;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;

/**
 * A {@code @BreakerConfig} injection point seen at deployment. Immutable.
 *
 * @param name     the qualifier's value
 * @param location {@code com.example.Handler.breaker} or {@code com.example.Handler.<init>(breaker)}
 */
public record BreakerInjection(String name, String location) {

    /** {@code Class.field}, {@code Class.method(param)} or {@code Class.<init>(param)}, as messages name it. */
    public static String location(InjectionPoint ip) {
        Member m = ip.getMember();
        if (m == null) {
            return String.valueOf(ip);
        }
        String owner = m.getDeclaringClass().getName() + ".";
        if (m instanceof Field) {
            return owner + m.getName();
        }
        String method = m instanceof Constructor<?> ? "<init>" : m.getName();
        String param = ip.getAnnotated() instanceof AnnotatedParameter<?> p
                ? p.getJavaParameter().getName() : "?";
        return owner + method + "(" + param + ")";
    }
}
