package dev.breaker.cdi;

import dev.breaker.cdi.internal.StopGuard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Stereotype;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a class an {@code @ApplicationScoped} bean that the Breaker extension starts eagerly at
 * boot, after the workers it depends on, and destroys at shutdown, before them.
 *
 * <p>A worker depends on the workers named by {@link DependsOn} and on every worker it injects.
 * Its {@code @PostConstruct} is its start, its {@code @PreDestroy} its stop. A worker that
 * implements {@link dev.breaker.worker.Routine} also gets a supervised long-running body; at
 * shutdown its routine is stopped (its breaker trips) and awaited before its {@code @PreDestroy}
 * runs, within the same stop timeout.
 * Its configuration keys are {@code breaker.worker.<name>.*}, where the name is the bean's
 * {@code @Named} name if it has one, else its simple class name in kebab case
 * ({@code OrderStore} gives {@code order-store}).
 *
 * <h2>Life cycle</h2>
 * At boot (CDI 4's {@code Startup} event) every enabled worker is created
 * in the application context, dependencies first and independent workers in parallel; a worker
 * whose start fails fails the deployment after the workers already started have been stopped.
 * When the container begins to shut down ({@code @BeforeDestroyed(ApplicationScoped.class)})
 * the workers are destroyed in reverse order, so a {@code @PreDestroy} runs while everything the
 * worker uses is still alive, all within {@code breaker.shutdown.timeout} (default 25 s). Once
 * its stop has begun a worker is never created again: a late call through its client proxy
 * (say, from a dependent that overran its stop timeout) fails at once with
 * {@code IllegalStateException} {@code BRKR013}, instead of the container silently constructing
 * a second instance during shutdown.
 *
 * <h2>Stop deadline</h2>
 * Inside {@code @PostConstruct}, {@code @PreDestroy} and a routine,
 * {@code WorkerContext.current()} ({@link dev.breaker.worker.WorkerContext}) returns the worker's
 * context; during the stop its {@code breaker()} trips at the worker's stop timeout
 * ({@code breaker.worker.<name>.stop-timeout}, default 10 s), so a {@code @PreDestroy} can bound
 * its clean-up: {@code WorkerContext.current().map(WorkerContext::breaker)}. A routine receives
 * its stop breaker as the argument of {@code run}.
 *
 * <h2>Events</h2>
 * Every state change of a worker is fired as a {@link dev.breaker.worker.WorkerEvent}
 * ({@code void on(@Observes WorkerEvent e)}), synchronously on the thread making the change.
 */
@Stereotype
@ApplicationScoped
@StopGuard
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Worker {
}
