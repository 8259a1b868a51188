package dev.breaker.cdi.internal;

import dev.breaker.worker.InvalidGraphException;
import dev.breaker.worker.Routine;
import dev.breaker.worker.WorkerGraph;
import dev.breaker.worker.WorkerSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.spi.AlterableContext;
import jakarta.enterprise.context.spi.Context;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanContainer;
import jakarta.enterprise.inject.spi.DeploymentException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the {@link DeploymentModel} into a {@link WorkerGraph} whose start action for a worker
 * creates its contextual instance in the application context (running {@code @PostConstruct})
 * and whose stop action destroys it there (running {@code @PreDestroy}), so the container finds
 * nothing left to destroy afterwards. The stop action first marks the worker in
 * {@link StoppedWorkers}, so no late call through its client proxy can construct it again.
 * Workers disabled by {@code breaker.worker.<name>.enabled=false} are left out (they stay
 * ordinary lazy beans) and edges to them are dropped.
 * Stateless; one call per boot.
 */
final class WorkerGraphAssembler {
    private static final System.Logger LOG = System.getLogger("dev.breaker.cdi");

    private WorkerGraphAssembler() {
    }

    static WorkerGraph assemble(DeploymentModel model, Settings settings, BeanContainer container,
                                StoppedWorkers stopped) {
        return assemble(model, settings, container, stopped, List.of());
    }

    /** As above, telling each {@link GraphHook} before the build and after it. */
    static WorkerGraph assemble(DeploymentModel model, Settings settings, BeanContainer container,
                                StoppedWorkers stopped, List<GraphHook> hooks) {
        Set<String> enabled = new HashSet<>();
        List<String> problems = new ArrayList<>();
        var graph = WorkerGraph.builder()
                .shutdownTimeout(settings.shutdownTimeout())
                .listener(new WorkerEvents(container));
        for (GraphHook h : hooks) {
            h.building(graph);
        }
        // each worker's keys read once (seven lookups per worker, which MicroProfile Config resolves each time)
        Map<String, WorkerSettings> perWorker = new HashMap<>();
        for (WorkerDef w : model.workers()) {
            WorkerSettings s = settings.worker(w.name());
            perWorker.put(w.name(), s);
            if (s.enabled()) {
                enabled.add(w.name());
            } else {
                LOG.log(System.Logger.Level.INFO, "worker ''{0}'' is disabled by configuration", w.name());
            }
        }
        for (WorkerDef w : model.workers()) {
            if (!enabled.contains(w.name())) {
                continue;
            }
            Bean<?> bean = find(container, w);
            if (bean == null) {
                problems.add(Messages.beanNotFound(w.name(), w.className()));
                continue;
            }
            graph.worker(spec(w, bean, perWorker.get(w.name()), container, enabled, stopped));
        }
        if (!problems.isEmpty()) {
            throw new DeploymentException(String.join("\n", problems));
        }
        try {
            WorkerGraph built = graph.build();
            for (GraphHook h : hooks) {
                h.built(built);
            }
            return built;
        } catch (InvalidGraphException e) {
            throw new DeploymentException(String.join("\n", e.problems()), e);
        }
    }

    private static WorkerSpec spec(WorkerDef w, Bean<?> bean, WorkerSettings s, BeanContainer container,
                                   Set<String> enabled, StoppedWorkers stopped) {
        var spec = WorkerSpec.builder(w.name())
                .dependsOn(w.dependsOn().stream().filter(enabled::contains).toList())
                .onStart(ctx -> instance(container, bean))
                .onStop(ctx -> {
                    stopped.stopping(w.name()); // before the instance goes: its proxy must not make another
                    ((AlterableContext) container.getContext(ApplicationScoped.class)).destroy(bean);
                })
                .stopTimeout(s.stopTimeout());
        s.startTimeout().ifPresent(spec::startTimeout);
        if (Routine.class.isAssignableFrom(bean.getBeanClass())) {
            spec.routine(stop -> ((Routine) instance(container, bean)).run(stop));
            s.onError().ifPresent(spec::onError);
            s.onReturn().ifPresent(spec::onReturn);
            if (s.maxRestarts().isPresent() || s.restartWindow().isPresent()) {
                spec.restartLimit(s.maxRestarts().orElse(WorkerSpec.DEFAULT_MAX_RESTARTS),
                        s.restartWindow().orElse(Settings.DEFAULT_RESTART_WINDOW));
            }
        }
        return spec.build();
    }

    /** The contextual instance, created (with {@code @PostConstruct}) if it does not exist yet. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object instance(BeanContainer container, Bean bean) {
        Context context = container.getContext(ApplicationScoped.class);
        return context.get(bean, container.createCreationalContext(bean));
    }

    private static Bean<?> find(BeanContainer container, WorkerDef w) {
        Class<?> type;
        try {
            ClassLoader cl = Thread.currentThread().getContextClassLoader();
            type = Class.forName(w.className(), false, cl != null ? cl : WorkerGraphAssembler.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return null;
        }
        for (java.lang.reflect.Type lookup : List.of(type, Object.class)) { // Object: a @Typed worker
            for (Bean<?> bean : container.getBeans(lookup, Any.Literal.INSTANCE)) {
                if (bean.getBeanClass() == type && ApplicationScoped.class.equals(bean.getScope())
                        && !bean.getTypes().isEmpty()) {
                    return bean;
                }
            }
        }
        return null;
    }
}
