package dev.breaker.tck.harness;

import dev.breaker.tck.isolation.IsolatingClassLoader;
import dev.breaker.tck.spi.TckContainer;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Optional;

/**
 * Runs each suite test on the runner's container: evaluates {@link DisabledOn}, cleans the
 * deployment up after the test, and, for containers that need it, runs the test method inside a
 * fresh {@link IsolatingClassLoader} (a new instance of the test class loaded there; the same
 * method is invoked reflectively, and what it throws is what JUnit sees).
 */
public final class TckExtension implements ExecutionCondition, InvocationInterceptor {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        TckContainer container = Tck.container();
        for (Optional<java.lang.reflect.AnnotatedElement> element
                : new Optional[]{context.getTestMethod().map(m -> m), context.getTestClass().map(c -> c)}) {
            DisabledOn disabled = element.map(e -> e.getAnnotation(DisabledOn.class)).orElse(null);
            if (disabled != null && Arrays.asList(disabled.value()).contains(container.id())) {
                return ConditionEvaluationResult.disabled("disabled on " + container.name() + ": " + disabled.reason());
            }
        }
        return ConditionEvaluationResult.enabled("runs on " + container.name());
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
                                    ExtensionContext extensionContext) throws Throwable {
        if (Tck.container().isolatesEachTest()
                && !(TckExtension.class.getClassLoader() instanceof IsolatingClassLoader)) {
            invocation.skip();
            runIsolated(invocationContext.getExecutable(), invocationContext.getArguments().toArray());
            return;
        }
        try {
            invocation.proceed();
        } finally {
            Tck.cleanup();
        }
    }

    private static void runIsolated(Method method, Object[] args) throws Throwable {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        IsolatingClassLoader loader = new IsolatingClassLoader(
                method.getDeclaringClass().getSimpleName() + "." + method.getName(), previous);
        thread.setContextClassLoader(loader);
        try {
            Class<?> testClass = loader.loadClass(method.getDeclaringClass().getName());
            Constructor<?> constructor = testClass.getDeclaredConstructor();
            constructor.setAccessible(true);
            Object instance = constructor.newInstance();
            Method isolated = testClass.getDeclaredMethod(method.getName(), method.getParameterTypes());
            isolated.setAccessible(true);
            Method cleanup = loader.loadClass(Tck.class.getName()).getMethod("cleanup");
            try {
                isolated.invoke(instance, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            } finally {
                try {
                    cleanup.invoke(null);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
