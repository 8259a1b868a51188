package dev.breaker.cdi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares that a {@link Worker} starts after, and stops before, the listed workers. Every class
 * listed must be a {@code @Worker} bean; otherwise deployment fails naming both.
 * Injecting a worker creates the same dependency without this annotation.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface DependsOn {
    /**
     * The worker classes this worker needs.
     *
     * @return the bean classes of {@code @Worker} beans that must be running before this one
     *         starts, and that stop only after it has stopped
     */
    Class<?>[] value();
}
