package dev.breaker.tck.runner;

import dev.breaker.tck.isolation.IsolatingClassLoader;
import dev.breaker.tck.spi.App;
import dev.breaker.tck.spi.TckContainer;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import io.quarkus.arc.processor.BeanArchives;
import io.quarkus.arc.processor.BeanInfo;
import io.quarkus.arc.processor.BeanProcessor;
import io.quarkus.arc.processor.ResourceOutput;
import io.quarkus.arc.processor.bcextensions.ExtensionsEntryPoint;
import jakarta.enterprise.event.Startup;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Stereotype;
import jakarta.inject.Qualifier;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationTarget;
import org.jboss.jandex.DotName;
import org.jboss.jandex.Index;
import org.jboss.jandex.IndexView;
import org.jboss.jandex.Indexer;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Quarkus ArC without Quarkus, close to what Quarkus does at build and run time:
 * <ol>
 *   <li>build: in a class loader of its own (so no static state of the build compatible extension
 *   can reach run time, as in Quarkus where the build runs in another JVM), ArC's
 *   {@link BeanProcessor} indexes the test's bean classes, runs the library's build compatible
 *   extension (found through {@code META-INF/services}, as ArC does) and removes unused beans as
 *   Quarkus does by default, except the test's own non-worker beans, which the suite looks up
 *   programmatically (Quarkus users would mark such beans unremovable);</li>
 *   <li>run: the generated classes are added to the test's {@link IsolatingClassLoader} (the
 *   suite runs each test method in a fresh one), {@link Arc#initialize()} starts the
 *   container (firing {@code @Initialized(ApplicationScoped.class)}) and the runner then fires
 *   the CDI 4 {@code Startup} event, as Quarkus's runtime does (ArC alone does not);
 *   {@link Arc#shutdown()} fires {@code @BeforeDestroyed} and destroys the contexts.</li>
 * </ol>
 * ArC's own arc-arquillian does the same with Arquillian and ShrinkWrap; this is shorter and
 * needs no archive.
 */
public final class ArcTckContainer implements TckContainer {
    private static final DotName WORKER = DotName.createSimple("dev.breaker.cdi.Worker");
    private static final AtomicInteger COUNT = new AtomicInteger();

    @Override
    public String id() {
        return "arc";
    }

    @Override
    public String name() {
        return System.getProperty("tck.container", "Quarkus ArC");
    }

    @Override
    public boolean isolatesEachTest() {
        return true;
    }

    @Override
    public App start(Set<Class<?>> beanClasses) throws Exception {
        if (!(Thread.currentThread().getContextClassLoader() instanceof IsolatingClassLoader runtime)) {
            throw new IllegalStateException("ArC tests must run in an IsolatingClassLoader");
        }
        if (Arc.container() != null) { // Arc.initialize() would return a container left over by another test
            Arc.shutdown();
        }
        build(beanClasses, runtime);
        try {
            ArcContainer container = Arc.initialize();
            // Quarkus (not ArC itself) fires the CDI 4 Startup event once the application has started
            container.beanManager().getEvent().select(Startup.class).fire(new Startup());
            return new ArcApp(container);
        } catch (RuntimeException | Error e) {
            // a failure in an @Initialized observer (a worker that failed to start) leaves the container set
            if (Arc.container() != null) {
                Arc.shutdown();
            }
            throw e;
        }
    }

    private static void build(Set<Class<?>> beanClasses, IsolatingClassLoader runtime) throws Exception {
        Thread thread = Thread.currentThread();
        IsolatingClassLoader buildLoader = new IsolatingClassLoader("build", runtime.getParent());
        thread.setContextClassLoader(buildLoader);
        try {
            Set<String> classes = new LinkedHashSet<>();
            Set<String> listed = new HashSet<>();
            for (Class<?> c : beanClasses) {
                listed.add(c.getName());
                for (Class<?> s = c; s != null && s.getName().startsWith("dev.breaker."); s = s.getSuperclass()) {
                    classes.add(s.getName());
                }
            }
            Indexer app = new Indexer();
            for (String c : classes) {
                index(app, c, buildLoader);
            }
            Index applicationIndex = app.complete();

            ExtensionsEntryPoint extensions = new ExtensionsEntryPoint();
            Set<String> discovered = new HashSet<>();
            extensions.runDiscovery(applicationIndex, discovered);

            Indexer archive = new Indexer();
            Set<String> seen = new HashSet<>(classes);
            classes.forEach(c -> index(archive, c, buildLoader));
            for (String c : discovered) {
                if (seen.add(c)) {
                    index(archive, c, buildLoader);
                }
            }
            // qualifiers and stereotypes count even outside bean archives (the library's @Worker, @BreakerConfig)
            for (String c : new String[]{"dev.breaker.cdi.Worker", "dev.breaker.cdi.BreakerConfig"}) {
                if (seen.add(c)) {
                    index(archive, c, buildLoader);
                }
            }
            for (Class<? extends Annotation> meta : Set.of(Qualifier.class, Stereotype.class)) {
                for (AnnotationInstance a : applicationIndex.getAnnotations(DotName.createSimple(meta.getName()))) {
                    if (a.target().kind() == AnnotationTarget.Kind.CLASS && seen.add(a.target().asClass().name().toString())) {
                        index(archive, a.target().asClass().name().toString(), buildLoader);
                    }
                }
            }
            IndexView beanArchiveIndex = BeanArchives.buildImmutableBeanArchiveIndex(archive.complete());

            BeanProcessor.builder()
                    .setName("tck" + COUNT.incrementAndGet())
                    .setImmutableBeanArchiveIndex(beanArchiveIndex)
                    .setComputingBeanArchiveIndex(BeanArchives.buildComputingBeanArchiveIndex(buildLoader,
                            new ConcurrentHashMap<>(), beanArchiveIndex))
                    .setApplicationIndex(applicationIndex)
                    .setBuildCompatibleExtensions(extensions)
                    .setRemoveUnusedBeans(true)
                    .addRemovalExclusion(bean -> isListedNonWorker(bean, listed))
                    .setOutput(resource -> write(resource, runtime))
                    .build()
                    .process();
        } finally {
            thread.setContextClassLoader(runtime);
        }
    }

    /** The test's own beans that are not workers: the suite looks them up, Quarkus would need @Unremovable. */
    private static boolean isListedNonWorker(BeanInfo bean, Set<String> listed) {
        return bean.isClassBean() && listed.contains(bean.getBeanClass().toString())
                && !bean.getTarget().map(t -> t.asClass().hasDeclaredAnnotation(WORKER)).orElse(false);
    }

    private static void write(ResourceOutput.Resource resource, IsolatingClassLoader runtime) {
        switch (resource.getType()) {
            case JAVA_CLASS -> runtime.addGeneratedClass(resource.getFullyQualifiedName(), resource.getData());
            case SERVICE_PROVIDER -> runtime.addGeneratedResource("META-INF/services/" + resource.getName(), resource.getData());
            default -> throw new IllegalArgumentException("unexpected generated resource " + resource.getType());
        }
    }

    private static void index(Indexer indexer, String className, ClassLoader loader) {
        try (InputStream in = loader.getResourceAsStream(className.replace('.', '/') + ".class")) {
            if (in == null) {
                throw new IllegalStateException("class file not found: " + className);
            }
            indexer.index(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class ArcApp implements App {
        private final ArcContainer container;

        ArcApp(ArcContainer container) {
            this.container = container;
        }

        @Override
        public <T> Instance<T> select(Class<T> type, Annotation... qualifiers) {
            return container.select(type, qualifiers);
        }

        @Override
        public void shutdown() {
            if (container.isRunning()) {
                Arc.shutdown();
            }
        }

        @Override
        public boolean isRunning() {
            return container.isRunning();
        }
    }
}
