package dev.breaker.cdi.internal;

import jakarta.interceptor.InterceptorBinding;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds {@link StopGuardInterceptor} to every worker: the {@link dev.breaker.cdi.Worker}
 * stereotype declares it, so every container (CDI Full and Lite) applies it without help from
 * either extension. Internal: applications never write it.
 */
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface StopGuard {
}
