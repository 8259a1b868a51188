package dev.breaker.cdi;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.enterprise.util.Nonbinding;
import jakarta.inject.Qualifier;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Objects;

/**
 * Selects a named, configured {@link dev.breaker.Breaker}: it trips at
 * {@code breaker.<name>.timeout} after it is made, at {@code breaker.<name>.deadline}, or when the
 * application begins to shut down, whichever comes first.
 *
 * <p>An injected one (field, constructor or initializer) bounds the request in which it is used,
 * whatever the scope of the bean holding it: at its first use in a request it makes a breaker for
 * that request, closed when the request ends. Outside a request it is the injection's own breaker
 * in a {@code @Dependent}, {@code @RequestScoped} or {@code @Worker} bean; in other beans one with
 * a timeout fails with {@code BRKR018} (use {@code @ActivateRequestContext} or
 * {@link BreakerFactory}). A programmatic lookup ({@code Instance}, {@code Provider}) gets a new
 * breaker each time, whose clock starts then.
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.TYPE})
public @interface BreakerConfig {
    /**
     * The breaker's name: lowercase letters, digits and dashes, such as {@code "request"}.
     *
     * @return the name that selects the configuration keys {@code breaker.<name>.*}
     */
    @Nonbinding
    String value();

    /** A literal for {@code Instance.select(BreakerConfig.Literal.of("request"))}. */
    final class Literal extends AnnotationLiteral<BreakerConfig> implements BreakerConfig {
        private static final long serialVersionUID = 1L;
        /** The breaker's name; never null. */
        private final String value;

        private Literal(String value) {
            this.value = Objects.requireNonNull(value, "value");
        }

        /**
         * A literal naming the breaker {@code name}.
         *
         * @param name the breaker's name, as in {@link BreakerConfig#value()}; it is checked when
         *             a breaker is made with it, not here
         * @return a new literal
         * @throws NullPointerException if {@code name} is null
         */
        public static Literal of(String name) {
            return new Literal(name);
        }

        @Override
        public String value() {
            return value;
        }
    }
}
