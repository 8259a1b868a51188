package dev.breaker.cdi;

import dev.breaker.cdi.internal.BreakerInjection;
import dev.breaker.cdi.internal.ConfigLookup;
import dev.breaker.cdi.internal.DeploymentModel;
import dev.breaker.cdi.internal.DeploymentValidator;
import dev.breaker.cdi.internal.GuardedInjectionTarget;
import dev.breaker.cdi.internal.StoppedWorkers;
import dev.breaker.cdi.internal.Settings;
import dev.breaker.cdi.internal.WorkerCandidate;
import dev.breaker.cdi.internal.LibraryBeans;
import dev.breaker.cdi.internal.Messages;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.AnnotatedType;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.ProcessInjectionPoint;
import jakarta.enterprise.inject.spi.ProcessInjectionTarget;
import jakarta.enterprise.inject.spi.ProcessManagedBean;
import jakarta.inject.Named;

import java.lang.annotation.Annotation;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * The Breaker portable extension, for CDI Full containers (Weld, OpenWebBeans, Payara,
 * OpenLiberty); registered in {@code META-INF/services}. Quarkus runs its build compatible twin
 * instead; both share one set of rules, so they report the same problems with the same codes.
 *
 * <p>It registers the library's beans (and vetoes any copy of them that type discovery found:
 * see {@link LibraryBeans}), collects every {@code @Worker} bean and every
 * {@code @BreakerConfig} injection point, and reports all problems (structure and configuration)
 * as deployment problems at once. Weld SE with discovery disabled does not load extensions from
 * {@code META-INF/services}: add it yourself, {@code weld.addExtensions(new BreakerExtension())}.
 *
 * <p>Thread-safe: the container may fire the per-bean events concurrently.
 */
public class BreakerExtension implements Extension {
    private static final System.Logger LOG = System.getLogger("dev.breaker.cdi");

    private final Queue<WorkerCandidate> workers = new ConcurrentLinkedQueue<>();
    private final Queue<BreakerInjection> injections = new ConcurrentLinkedQueue<>();
    private final Queue<String> problems = new ConcurrentLinkedQueue<>();
    private volatile DeploymentModel model;
    private volatile Supplier<StoppedWorkers> stopped; // one lookup for every worker's injection target

    /**
     * The extension, as the container makes it from {@code META-INF/services}; make one yourself
     * only to register it by hand (Weld SE with discovery disabled).
     */
    public BreakerExtension() {
    }

    /**
     * Registers the library's own beans, each once and marked, in this extension's bean archive.
     * The one rule is in {@link LibraryBeans}: these registrations are the only library beans;
     * {@link #vetoDiscovered} removes any copy that type discovery found.
     */
    void register(@Observes BeforeBeanDiscovery bbd) {
        ClassLoader loader = BreakerExtension.class.getClassLoader();
        for (String name : LibraryBeans.names()) {
            Class<?> c;
            try {
                c = Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                throw new IllegalStateException(Messages.cannotLoadLibraryBean(name), e);
            }
            bbd.addAnnotatedType(c, BreakerExtension.class.getName() + "#" + name)
                    .add(LibraryBeans.Registered.Literal.INSTANCE);
        }
    }

    /**
     * A library class that the container found by scanning (Payara: {@code @Singleton} counts as
     * bean-defining there) would be a second bean beside the one registered above: veto it.
     */
    <T> void vetoDiscovered(@Observes ProcessAnnotatedType<T> pat) {
        AnnotatedType<T> type = pat.getAnnotatedType();
        if (LibraryBeans.isLibraryBean(type.getJavaClass().getName())
                && !type.isAnnotationPresent(LibraryBeans.Registered.class)) {
            LOG.log(System.Logger.Level.DEBUG, () -> Messages.libraryBeanDiscovered(type.getJavaClass().getName()));
            pat.veto();
        }
    }

    /**
     * A worker's destruction is guarded ({@link GuardedInjectionTarget}): wrapping its injection
     * target costs one event per bean, where a {@code @PreDestroy} interceptor would make Weld
     * generate an intercepted subclass of every worker.
     */
    <T> void guard(@Observes ProcessInjectionTarget<T> pit, BeanManager manager) {
        if (pit.getAnnotatedType().isAnnotationPresent(Worker.class)) {
            Supplier<StoppedWorkers> s = stopped;
            if (s == null) {
                s = stoppedLookup(manager);
            }
            pit.setInjectionTarget(GuardedInjectionTarget.of(pit.getInjectionTarget(), s));
        }
    }

    private synchronized Supplier<StoppedWorkers> stoppedLookup(BeanManager manager) {
        if (stopped == null) {
            stopped = GuardedInjectionTarget.lookup(manager);
        }
        return stopped;
    }

    <T> void worker(@Observes ProcessManagedBean<T> pmb) {
        AnnotatedType<T> type = pmb.getAnnotatedBeanClass();
        if (!type.isAnnotationPresent(Worker.class)) {
            return;
        }
        Named named = type.getAnnotation(Named.class);
        DependsOn dependsOn = type.getAnnotation(DependsOn.class);
        Set<String> types = new HashSet<>();
        pmb.getBean().getTypes().forEach(t -> types.add(erasure(t)));
        Set<String> injected = new HashSet<>();
        for (InjectionPoint ip : pmb.getBean().getInjectionPoints()) {
            injected.add(erasure(unwrapLookup(ip.getType())));
        }
        workers.add(new WorkerCandidate(type.getJavaClass().getName(), named == null ? null : named.value(),
                pmb.getBean().getScope().getName(), types,
                dependsOn == null ? List.of() : Arrays.stream(dependsOn.value()).map(Class::getName).toList(),
                injected));
    }

    void injection(@Observes ProcessInjectionPoint<?, ?> pip) {
        InjectionPoint ip = pip.getInjectionPoint();
        if (ip.getAnnotated() != null && ip.getAnnotated().isAnnotationPresent(jakarta.enterprise.inject.Disposes.class)) {
            return; // a disposed parameter names the producer's qualifier, not a breaker (OWB reports it; Weld does not)
        }
        for (Annotation q : ip.getQualifiers()) {
            if (q instanceof BreakerConfig config) {
                injections.add(new BreakerInjection(config.value(), BreakerInjection.location(ip)));
            }
        }
    }

    void model(@Observes AfterBeanDiscovery abd) {
        DeploymentModel m = DeploymentValidator.validate(new ArrayList<>(workers), new ArrayList<>(injections),
                problems::add);
        model = m;
        abd.addBean().types(DeploymentModel.class).scope(Dependent.class).beanClass(BreakerExtension.class)
                .createWith(cc -> m);
    }

    /** Structure problems and configuration problems, all reported in one go. */
    void validate(@Observes AfterDeploymentValidation adv) {
        new Settings(ConfigLookup.detect()).validate(model, problems::add);
        for (String p : problems) {
            adv.addDeploymentProblem(new DeploymentException(p));
        }
    }

    private static Type unwrapLookup(Type t) {
        if (t instanceof ParameterizedType p && WorkerCandidate.LOOKUP_TYPES.contains(erasure(p.getRawType()))) {
            return p.getActualTypeArguments()[0];
        }
        return t;
    }

    private static String erasure(Type t) {
        if (t instanceof Class<?> c) {
            return c.getName();
        }
        if (t instanceof ParameterizedType p) {
            return erasure(p.getRawType());
        }
        return t.getTypeName();
    }
}
