package dev.breaker.cdi.internal;

import dev.breaker.cdi.BreakerConfig;
import dev.breaker.cdi.BreakerExtension;
import dev.breaker.cdi.DependsOn;
import dev.breaker.cdi.Worker;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.build.compatible.spi.BeanInfo;
import jakarta.enterprise.inject.build.compatible.spi.BuildCompatibleExtension;
import jakarta.enterprise.inject.build.compatible.spi.ClassConfig;
import jakarta.enterprise.inject.build.compatible.spi.Discovery;
import jakarta.enterprise.inject.build.compatible.spi.Enhancement;
import jakarta.enterprise.inject.build.compatible.spi.InjectionPointInfo;
import jakarta.enterprise.inject.build.compatible.spi.Registration;
import jakarta.enterprise.inject.build.compatible.spi.ScannedClasses;
import jakarta.enterprise.inject.build.compatible.spi.SkipIfPortableExtensionPresent;
import jakarta.enterprise.inject.build.compatible.spi.Synthesis;
import jakarta.enterprise.inject.build.compatible.spi.SyntheticComponents;
import jakarta.enterprise.inject.build.compatible.spi.Validation;
import jakarta.enterprise.inject.literal.NamedLiteral;
import jakarta.enterprise.lang.model.AnnotationInfo;
import jakarta.enterprise.lang.model.AnnotationMember;
import jakarta.enterprise.lang.model.declarations.ClassInfo;
import jakarta.enterprise.lang.model.declarations.DeclarationInfo;
import jakarta.enterprise.lang.model.declarations.MethodInfo;
import jakarta.enterprise.lang.model.declarations.ParameterInfo;
import jakarta.enterprise.lang.model.types.Type;
import jakarta.inject.Named;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The Breaker build compatible extension, for CDI Lite (Quarkus ArC, which runs no portable
 * extension). Containers that run {@link BreakerExtension} skip it. In Quarkus its methods run
 * at build time, so it passes what it found to run time as the string parameters of a
 * synthetic {@link DeploymentModel} bean. Structure problems are reported in {@code @Validation};
 * configuration values are checked when the application starts (build-time configuration may not
 * be the run-time one), failing the start with {@code BRKR010}.
 *
 * <p><b>Un-injected workers in ArC.</b> ArC removes beans that nothing uses, and a worker that no
 * other bean injects would be removed before the extension could start it. Adding
 * {@code @Named} keeps a bean (a named bean may be looked up by name), so the enhancement phase
 * adds {@code @Named("<worker-name>")} to every {@code @Worker} class that has no
 * {@code @Named}. The name it adds is the worker name, so nothing else changes. This uses the
 * CDI Lite API only; ArC's {@code @Unremovable} added in enhancement is not honoured.
 *
 * <p>Not thread-safe, and need not be: the container calls the phases one after another.
 */
@SkipIfPortableExtensionPresent(BreakerExtension.class)
public class BreakerBuildExtension implements BuildCompatibleExtension {
    private final List<WorkerCandidate> workers = new ArrayList<>();
    private final List<BreakerInjection> injections = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    @Discovery
    public void discover(ScannedClasses scanned) {
        // The rule of LibraryBeans: ScannedClasses is a set of names, so a library class that ArC
        // also found in the library's bean archive stays one class, and one bean.
        LibraryBeans.buildCompatibleNames().forEach(scanned::add);
        scanned.add(StopGuard.class.getName()); // the @Worker stereotype's interceptor binding, found also
                                                // where the library jar is not indexed
    }

    @Enhancement(types = Object.class, withSubtypes = true, withAnnotations = Worker.class)
    public void keepWorkers(ClassConfig type) {
        ClassInfo info = type.info();
        if (info.hasAnnotation(Worker.class) && !info.hasAnnotation(Named.class)) {
            type.addAnnotation(NamedLiteral.of(Names.workerName(info.name(), null)));
        }
    }

    @Registration(types = Object.class)
    public void collect(BeanInfo bean) {
        for (InjectionPointInfo ip : bean.injectionPoints()) {
            for (AnnotationInfo q : ip.qualifiers()) {
                if (q.name().equals(BreakerConfig.class.getName())) {
                    injections.add(new BreakerInjection(q.value().asString(), location(ip.declaration())));
                }
            }
        }
        ClassInfo type = bean.declaringClass();
        if (!bean.isClassBean() || !type.hasAnnotation(Worker.class)) {
            return;
        }
        AnnotationInfo named = type.annotation(Named.class);
        AnnotationInfo dependsOn = type.annotation(DependsOn.class);
        Set<String> types = new HashSet<>();
        bean.types().forEach(t -> types.add(erasure(t)));
        Set<String> injected = new HashSet<>();
        for (InjectionPointInfo ip : bean.injectionPoints()) {
            injected.add(erasure(unwrapLookup(ip.type())));
        }
        List<String> deps = new ArrayList<>();
        if (dependsOn != null) {
            for (AnnotationMember m : dependsOn.value().asArray()) {
                deps.add(erasure(m.asType()));
            }
        }
        workers.add(new WorkerCandidate(type.name(),
                named != null && named.hasValue() ? named.value().asString() : null,
                bean.scope().annotation().name(), types, deps, injected));
    }

    @Synthesis
    public void model(SyntheticComponents synthetic) {
        DeploymentModel model = DeploymentValidator.validate(workers, injections, problems::add);
        synthetic.addBean(DeploymentModel.class)
                .type(DeploymentModel.class)
                .scope(Dependent.class)
                .withParam(DeploymentModelCreator.WORKERS, model.encodedWorkers())
                .withParam(DeploymentModelCreator.BREAKERS, model.breakerNames().toArray(String[]::new))
                .createWith(DeploymentModelCreator.class);
    }

    @Validation
    public void report(jakarta.enterprise.inject.build.compatible.spi.Messages messages) {
        problems.forEach(messages::error);
    }

    private static Type unwrapLookup(Type t) {
        if (t.isParameterizedType() && WorkerCandidate.LOOKUP_TYPES.contains(erasure(t))
                && !t.asParameterizedType().typeArguments().isEmpty()) {
            return t.asParameterizedType().typeArguments().get(0);
        }
        return t;
    }

    private static String erasure(Type t) {
        if (t.isClass()) {
            return t.asClass().declaration().name();
        }
        if (t.isParameterizedType()) {
            return t.asParameterizedType().declaration().name();
        }
        return t.toString();
    }

    /** {@code Class.field}, {@code Class.method(param)} or {@code Class.<init>(param)}. */
    private static String location(DeclarationInfo d) {
        if (d == null) {
            return "a synthetic injection point";
        }
        if (d.isField()) {
            return d.asField().declaringClass().name() + "." + d.asField().name();
        }
        if (d.isParameter()) {
            ParameterInfo p = d.asParameter();
            MethodInfo m = p.declaringMethod();
            return m.declaringClass().name() + "." + (m.isConstructor() ? "<init>" : m.name()) + "(" + p.name() + ")";
        }
        return d.toString();
    }
}
