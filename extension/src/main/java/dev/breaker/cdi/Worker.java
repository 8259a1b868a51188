package dev.breaker.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Stereotype;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a class an {@code @ApplicationScoped} bean that the Breaker extension starts eagerly at
 * boot, after the workers it depends on, and destroys at shutdown, before them.
 *
 * <p>A worker depends on the workers named by {@link DependsOn} and on every worker it injects.
 * Its {@code @PostConstruct} is its start, its {@code @PreDestroy} its stop. A worker that
 * implements {@link dev.breaker.worker.Routine} also gets a supervised long-running body.
 * Its configuration keys are {@code breaker.worker.<name>.*}, where the name is the bean's
 * {@code @Named} name if it has one, else its simple class name in kebab case
 * ({@code OrderStore} gives {@code order-store}).
 */
@Stereotype
@ApplicationScoped
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Worker {
}
