package dev.breaker.jaxrs;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a resource method or class: the caller's {@code Breaker-Budget} header is ignored there
 * ({@link BudgetFilter} leaves its requests alone), for endpoints that must finish what they
 * accepted whatever the caller's patience.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface NoBudget {
}
