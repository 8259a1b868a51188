package dev.breaker.tck.harness;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Disables a test on the named containers ({@link dev.breaker.tck.spi.TckContainer#id()}); the
 * reason is mandatory and shows in the report as the skip reason.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface DisabledOn {
    /** Container ids, such as {@code owb}. */
    String[] value();

    /** The container limitation that forces the skip. */
    String reason();
}
