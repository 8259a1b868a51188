package dev.breaker.cdi.internal;

import dev.breaker.Breaker;
import dev.breaker.cdi.BreakerConfig;
import dev.breaker.cdi.Worker;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.enterprise.inject.spi.Annotated;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.inject.Inject;
import jakarta.inject.Provider;

import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.function.Supplier;

/**
 * Produces {@code @Inject Breaker} and {@code @Inject @BreakerConfig("name") Breaker}. Both are
 * {@code @Dependent} objects; what they stand for depends on how they are asked for:
 * <ul>
 *   <li>a field, constructor or initializer injection gets an {@link InjectedBreaker}: a handle
 *       that bounds each request in which it is used (see there), so that the breaker of a
 *       singleton JAX-RS resource bounds every request, not only the first two seconds of the
 *       application;</li>
 *   <li>a programmatic lookup ({@code Instance<Breaker>.get()}, {@code Provider<Breaker>.get()},
 *       {@code CDI.current().select(…)}) and a producer, observer or disposer parameter get a new
 *       breaker for that lookup or invocation, whose clock starts then.</li>
 * </ul>
 * The disposers close what was made for the holder. Thread-safe.
 */
@jakarta.inject.Singleton
public class BreakerProducers {
    private static final String DEFAULT_NAME = "default";

    private final BreakerSource source;
    private final RequestContextProbe probe;

    /**
     * {@code requests} is not called: the handles take each request's instance from the active
     * context itself ({@link RequestContextProbe}); injecting it keeps ArC from removing the bean
     * as unused.
     */
    @Inject
    public BreakerProducers(BreakerSource source, BeanManager manager, RequestBreakers requests) {
        this.source = source;
        this.probe = new RequestContextProbe(manager);
    }

    @Produces
    @Dependent
    @Typed(Breaker.class)
    Breaker application(InjectionPoint ip) {
        return make(ip, DEFAULT_NAME);
    }

    @Produces
    @Dependent
    @Typed(Breaker.class)
    @BreakerConfig("")
    Breaker named(InjectionPoint ip) {
        for (Annotation q : ip.getQualifiers()) {
            if (q instanceof BreakerConfig config) {
                return make(ip, config.value());
            }
        }
        throw new IllegalStateException("no @BreakerConfig on " + ip);
    }

    private Breaker make(InjectionPoint ip, String name) {
        if (perLookup(ip)) {
            return DEFAULT_NAME.equals(name) ? source.application() : source.named(name);
        }
        BreakerMaker factory = source.maker(name);
        Supplier<String> refusal = null;
        if (!ownOutsideRequests(ip.getBean()) && source.hasTimeout(name)) {
            String location = BreakerInjection.location(ip);
            refusal = () -> Messages.timedBreakerOutsideRequest(name, location);
        }
        return new InjectedBreaker(factory, probe, refusal, DEFAULT_NAME.equals(name));
    }

    void close(@Disposes Breaker breaker) {
        dispose(breaker);
    }

    void closeNamed(@Disposes @BreakerConfig("") Breaker breaker) {
        dispose(breaker);
    }

    private static void dispose(Breaker breaker) {
        if (breaker instanceof InjectedBreaker handle) {
            handle.dispose();
        } else {
            breaker.close();
        }
    }

    /**
     * Whether this injection asks for a breaker of its own, now: a programmatic lookup (its
     * injection point is that of the {@code Instance} or {@code Provider}, CDI 5.6.1), a lookup
     * with no bean at all, or a parameter of a method that is not an initializer (a producer,
     * observer or disposer parameter lives for one invocation).
     */
    static boolean perLookup(InjectionPoint ip) {
        if (ip.getBean() == null) {
            return true;
        }
        Annotated annotated = ip.getAnnotated();
        Type declared = annotated != null ? annotated.getBaseType() : null;
        Member member = ip.getMember();
        if (declared == null && member instanceof Field f) {
            declared = f.getGenericType();
        }
        if (declared instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw
                && (raw == Instance.class || raw == Provider.class)) {
            return true;
        }
        return member instanceof Method m && !m.isAnnotationPresent(Inject.class);
    }

    /**
     * Whether a bean of this kind may keep its own breaker outside a request: its instances
     * belong to one caller ({@code @Dependent}, {@code @RequestScoped}) or it is a worker, whose
     * breaker bounds its own start, routine or stop.
     */
    private static boolean ownOutsideRequests(Bean<?> holder) {
        Class<? extends Annotation> scope = holder.getScope();
        return scope == Dependent.class || scope == RequestScoped.class
                || holder.getBeanClass().isAnnotationPresent(Worker.class);
    }
}
