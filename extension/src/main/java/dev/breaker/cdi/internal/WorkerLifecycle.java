package dev.breaker.cdi.internal;

import dev.breaker.worker.ShutdownReport;
import dev.breaker.worker.WorkerGraph;
import dev.breaker.worker.WorkerStartException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.BeanContainer;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the workers when the application context is initialized and stops them when it is
 * about to be destroyed. Both observers run early ({@code PLATFORM_BEFORE}), so application
 * startup observers find the workers running and the workers are gone before the container
 * destroys the application context.
 *
 * <pre>
 *   NEW --@Initialized--> RUNNING --@BeforeDestroyed--> STOPPED
 *    \--start failure: started workers stopped, DeploymentException (BRKR008)
 * </pre>
 *
 * An observer bean: ArC keeps it (and what it injects) although nothing injects it.
 * Thread-safe: both observers are called by the container, once each; {@link #graph} is
 * guarded by {@code this}.
 */
@Singleton
public class WorkerLifecycle {
    private static final System.Logger LOG = System.getLogger("dev.breaker.cdi");

    private final BeanContainer container;
    private final DeploymentModel model;
    private final BreakerSource breakers;
    private WorkerGraph graph;

    @Inject
    public WorkerLifecycle(BeanContainer container, DeploymentModel model, BreakerSource breakers) {
        this.container = container;
        this.model = model;
        this.breakers = breakers;
    }

    synchronized void start(@Observes @Initialized(ApplicationScoped.class)
                            @Priority(Interceptor.Priority.PLATFORM_BEFORE) Object event) {
        if (graph != null) {
            return;
        }
        Settings settings = new Settings(ConfigLookup.detect());
        List<String> problems = new ArrayList<>();
        settings.validate(model, problems::add); // the build compatible path validates config here
        if (!problems.isEmpty()) {
            breakers.beginShutdown();
            throw new DeploymentException(Messages.configurationProblems(problems));
        }
        WorkerGraph g = WorkerGraphAssembler.assemble(model, settings, container);
        try {
            g.start();
        } catch (WorkerStartException e) {
            breakers.beginShutdown();
            String className = model.workers().stream().filter(w -> w.name().equals(e.worker()))
                    .map(WorkerDef::className).findFirst().orElse("?");
            Throwable cause = userFailure(e.getCause() != null ? e.getCause() : e);
            throw new DeploymentException(Messages.startFailed(e.worker(), className, cause), cause);
        }
        graph = g;
    }

    /** The worker's own exception, out of the container's reflective wrappers (Weld's WELD-000049). */
    static Throwable userFailure(Throwable t) {
        for (int i = 0; i < 10; i++) {
            if (t instanceof java.lang.reflect.InvocationTargetException && t.getCause() != null) {
                t = t.getCause();
            } else if (t.getCause() instanceof java.lang.reflect.InvocationTargetException ite
                    && ite.getCause() != null) {
                t = ite.getCause();
            } else {
                break;
            }
        }
        return t;
    }

    synchronized void stop(@Observes @BeforeDestroyed(ApplicationScoped.class)
                           @Priority(Interceptor.Priority.PLATFORM_BEFORE) Object event) {
        breakers.beginShutdown();
        if (graph == null) {
            return;
        }
        ShutdownReport report = graph.shutdown(); // blocking, bounded by breaker.shutdown.timeout
        if (!report.clean()) {
            LOG.log(Level.DEBUG, "Breaker shutdown report: {0}", report); // the graph logged the problems
        }
    }
}
