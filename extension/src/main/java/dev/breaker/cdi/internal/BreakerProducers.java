package dev.breaker.cdi.internal;

import dev.breaker.Breaker;
import dev.breaker.cdi.BreakerConfig;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.inject.Inject;

import java.lang.annotation.Annotation;

/**
 * Produces {@code @Inject Breaker} and {@code @Inject @BreakerConfig("name") Breaker}, both
 * {@code @Dependent}: made at injection (the clock starts then) and closed by the disposers
 * when the bean holding them is destroyed, which frees their timer entries. Thread-safe.
 */
@jakarta.inject.Singleton
public class BreakerProducers {
    private final BreakerSource source;

    @Inject
    public BreakerProducers(BreakerSource source) {
        this.source = source;
    }

    @Produces
    @Dependent
    @Typed(Breaker.class)
    Breaker application() {
        return source.application();
    }

    @Produces
    @Dependent
    @Typed(Breaker.class)
    @BreakerConfig("")
    Breaker named(InjectionPoint ip) {
        for (Annotation q : ip.getQualifiers()) {
            if (q instanceof BreakerConfig config) {
                return source.named(config.value());
            }
        }
        throw new IllegalStateException("no @BreakerConfig on " + ip);
    }

    void close(@Disposes Breaker breaker) {
        breaker.close();
    }

    void closeNamed(@Disposes @BreakerConfig("") Breaker breaker) {
        breaker.close();
    }
}
