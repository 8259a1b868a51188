package dev.breaker.tck.runner;

import dev.breaker.tck.spi.App;
import dev.breaker.tck.spi.TckContainer;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.se.SeContainer;
import jakarta.enterprise.inject.se.SeContainerInitializer;
import org.apache.webbeans.config.WebBeansFinder;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * OpenWebBeans SE through the standard {@link SeContainerInitializer} (openwebbeans-se): discovery
 * off and the bean classes listed. OWB loads portable extensions from {@code META-INF/services}
 * itself, so the library's extension is not added by hand.
 *
 * <p>OWB limitation worked around here: for problems added in {@code AfterDeploymentValidation}
 * it throws a {@code WebBeansDeploymentException} that only says "look at logs", and logs each
 * problem. So the deployment's OWB log records are captured and attached to the failure as
 * suppressed exceptions, which lets the suite assert the exact messages as on other containers.
 * A failed boot also leaves its context registered for the class loader; it is cleared.
 */
public final class OwbTckContainer implements TckContainer {

    @Override
    public String id() {
        return "owb";
    }

    @Override
    public String name() {
        return System.getProperty("tck.container", "OpenWebBeans SE");
    }

    @Override
    public App start(Set<Class<?>> beanClasses) {
        Logger owb = Logger.getLogger("org.apache.webbeans");
        Capture capture = new Capture();
        owb.addHandler(capture);
        try {
            SeContainer container = SeContainerInitializer.newInstance()
                    .disableDiscovery()
                    .addBeanClasses(beanClasses.toArray(Class<?>[]::new))
                    .initialize();
            return App.of(container);
        } catch (RuntimeException e) {
            for (LogRecord r : capture.records) {
                String message = r.getMessage() + (r.getThrown() != null ? ": " + r.getThrown() : "");
                RuntimeException logged = new RuntimeException("[OWB log] " + message, r.getThrown());
                e.addSuppressed(logged);
            }
            try {
                WebBeansFinder.clearInstances(Thread.currentThread().getContextClassLoader());
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        } finally {
            owb.removeHandler(capture);
        }
    }

    private static final class Capture extends Handler {
        final List<LogRecord> records = new CopyOnWriteArrayList<>();

        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                records.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
