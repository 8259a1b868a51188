package dev.breaker.cdi.internal;

import dev.breaker.cdi.BreakerFactory;
import dev.breaker.cdi.ShutdownSequence;
import dev.breaker.cdi.internal.health.HealthIntegration;
import jakarta.enterprise.util.AnnotationLiteral;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The library's own beans and the one rule by which they come to exist, in every container.
 *
 * <p><b>The rule: each library bean exists once, as its extension registers it; a container's
 * own discovery of a library class never makes a bean.</b>
 * <ul>
 *   <li>CDI Full (Weld, OpenWebBeans, Payara, Open Liberty, WildFly, Helidon): the portable
 *       extension adds every class below in {@code BeforeBeanDiscovery}, marked {@link Registered};
 *       in {@code ProcessAnnotatedType} it vetoes any annotated type of these classes without the
 *       mark, that is, any copy that type discovery found, and any class that only CDI Lite
 *       registers ({@link StopGuardDestroyInterceptor}).</li>
 *   <li>CDI Lite (ArC): the build compatible extension adds the class names to
 *       {@code ScannedClasses}, a set of names: a class ArC also found by scanning is still one
 *       class, hence one bean.</li>
 * </ul>
 * Why not rely on discovery, or on its absence: whether a container discovers a library class
 * depends on things the library does not control. Payara's scanner treats
 * {@code @jakarta.inject.Singleton} as bean-defining in the jar's {@code annotated} archive (and
 * the copy it found lived beside the extension's one: {@code WELD-001409} ambiguous
 * {@code BreakerFactory}, {@code WorkerLifecycle}); Open Liberty, WildFly and Helidon do not; an
 * application that shades the library into an {@code all} archive, or lists its classes in Weld
 * SE, makes every class a bean. Registering them ourselves and vetoing the rest gives the same
 * beans, in the extension's bean archive, whatever the container scanned.
 *
 * <p>Stateless; thread-safe.
 */
public final class LibraryBeans {

    /** Marks the annotated types the portable extension registered (the only ones kept). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    public @interface Registered {
        /** The annotation instance the extension adds. */
        final class Literal extends AnnotationLiteral<Registered> implements Registered {
            public static final Literal INSTANCE = new Literal();
            private static final long serialVersionUID = 1L;
        }
    }

    /** The bean classes that need nothing optional. */
    private static final List<String> CORE_NAMES = Stream.of(BreakerSource.class, BreakerProducers.class, RequestBreakers.class,
            BreakerFactory.class, WorkerLifecycle.class, ShutdownSequence.class, StoppedWorkers.class,
            StopGuardInterceptor.class).map(Class::getName).toList();

    /**
     * The bean classes that only CDI Lite registers: in CDI Full the portable extension does
     * their work another way ({@link GuardedInjectionTarget}) and vetoes them if discovered.
     */
    private static final List<String> LITE_NAMES = List.of(StopGuardDestroyInterceptor.class.getName());

    private static final Set<String> ALL_NAMES = Stream.of(CORE_NAMES.stream(), LITE_NAMES.stream(),
            HealthIntegration.beanClassNames().stream()).flatMap(s -> s)
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    private LibraryBeans() {
    }

    /**
     * The class names the portable extension registers: the core beans, and the health checks
     * when the API is present.
     */
    public static List<String> names() {
        List<String> names = new ArrayList<>(CORE_NAMES);
        if (HealthIntegration.available()) {
            names.addAll(HealthIntegration.beanClassNames());
        }
        return names;
    }

    /** The class names the build compatible extension registers: {@link #names()} and the CDI Lite ones. */
    public static List<String> buildCompatibleNames() {
        List<String> names = names();
        names.addAll(LITE_NAMES);
        return names;
    }

    /** Whether {@code className} is one of the library's beans (health checks included). */
    public static boolean isLibraryBean(String className) {
        return ALL_NAMES.contains(className);
    }
}
