package dev.breaker.cdi.internal;

import dev.breaker.cdi.BreakerExtension;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.DeploymentException;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Codes of problems that a well-formed deployment never reaches, each provoked directly. */
class UnreachedCodesTest {

    /** BRKR009: the model names a worker for which the container has no bean at run time. */
    @Test
    void aWorkerWithoutABeanAtRunTimeIsBrkr009() {
        try (WeldContainer weld = new Weld().disableDiscovery().addBeanClass(UnreachedCodesTest.class).initialize()) {
            DeploymentModel model = new DeploymentModel(
                    List.of(new WorkerDef("ghost", "com.example.Ghost", List.of())), List.of());
            DeploymentException e = assertThrows(DeploymentException.class, () -> WorkerGraphAssembler.assemble(
                    model, new Settings(ConfigLookup.detect()), weld.getBeanManager(), new StoppedWorkers(model)));
            assertEquals("BRKR009: worker 'ghost' (com.example.Ghost) has no bean at runtime", e.getMessage());
        }
    }

    /** BRKR016: one of the library's bean classes cannot be loaded next to the extension. */
    @Test
    void aLibraryBeanClassThatCannotBeLoadedIsBrkr016() throws Exception {
        // a health check bean: named by a string (the core beans are class literals, whose absence
        // would fail the library's own classes first), and on this test class path with its API
        assertTrue(dev.breaker.cdi.internal.health.HealthIntegration.available(), "MicroProfile Health on the class path");
        String hidden = dev.breaker.cdi.internal.health.HealthIntegration.beanClassNames().get(0);
        ClassLoader parent = UnreachedCodesTest.class.getClassLoader();
        ClassLoader broken = new dev.breaker.HidingClassLoader(parent, "dev.breaker.cdi.", hidden::equals);
        Class<?> extension = broken.loadClass(BreakerExtension.class.getName());
        Object instance = extension.getDeclaredConstructor().newInstance();
        Method register = extension.getDeclaredMethod("register", BeforeBeanDiscovery.class);
        register.setAccessible(true);
        // accepts the core beans' registrations (each returns a configurator that accepts anything)
        Object[] configurator = new Object[1];
        configurator[0] = Proxy.newProxyInstance(parent,
                new Class<?>[]{jakarta.enterprise.inject.spi.configurator.AnnotatedTypeConfigurator.class},
                (p, m, a) -> configurator[0]);
        List<String> registered = new java.util.ArrayList<>();
        BeforeBeanDiscovery bbd = (BeforeBeanDiscovery) Proxy.newProxyInstance(parent,
                new Class<?>[]{BeforeBeanDiscovery.class}, (p, m, a) -> {
                    registered.add(((Class<?>) a[0]).getName());
                    return configurator[0];
                });
        InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> register.invoke(instance, bbd));
        IllegalStateException cause = assertInstanceOf(IllegalStateException.class, e.getCause(), String.valueOf(e.getCause()));
        assertTrue(cause.getMessage().startsWith("BRKR016: Breaker cannot load its own bean class " + hidden),
                cause.getMessage());
        assertTrue(!registered.contains(hidden) && !registered.isEmpty(), "the others were registered: " + registered);
    }
}
