package dev.breaker.cdi.internal;

import jakarta.enterprise.context.spi.CreationalContext;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.enterprise.inject.spi.InjectionTarget;

import java.util.Set;
import java.util.function.Supplier;

/**
 * A worker's injection target in a CDI Full container (set by the portable extension in
 * {@code ProcessInjectionTarget}): the container's own, whose {@code preDestroy} runs through
 * {@link StoppedWorkers#destroy} (the late destruction of a worker given up on at the deadline,
 * and no second {@code @PreDestroy} while one runs). The same guard as an interceptor's
 * {@code @PreDestroy} would give, without the intercepted subclass that Weld would generate for
 * every worker at boot. Everything else is delegated as is.
 * Thread-safe if the delegate is (the container's are).
 */
public final class GuardedInjectionTarget<T> implements InjectionTarget<T> {
    private final InjectionTarget<T> delegate;
    private final Supplier<StoppedWorkers> stopped;

    GuardedInjectionTarget(InjectionTarget<T> delegate, Supplier<StoppedWorkers> stopped) {
        this.delegate = delegate;
        this.stopped = stopped;
    }

    /**
     * The {@link StoppedWorkers} bean of the container of {@code manager} (or, where that manager
     * cannot see the library's beans, of {@code CDI.current()}), looked up once, on first
     * use (a worker's construction, at the latest, precedes its destruction); one per deployment,
     * shared by all its workers' injection targets.
     */
    public static Supplier<StoppedWorkers> lookup(BeanManager manager) {
        return new Supplier<>() {
            private volatile StoppedWorkers found;

            @Override
            public StoppedWorkers get() {
                StoppedWorkers s = found;
                if (s == null) {
                    jakarta.enterprise.inject.Instance<StoppedWorkers> here =
                            manager.createInstance().select(StoppedWorkers.class);
                    // Payara Micro 6: the worker's archive does not see the library's beans, which
                    // the extension registered; the container's own lookup does (as for the health checks)
                    s = here.isResolvable() ? here.get()
                            : jakarta.enterprise.inject.spi.CDI.current().select(StoppedWorkers.class).get();
                    found = s;
                }
                return s;
            }
        };
    }

    /** Wraps {@code target} (a worker's). */
    public static <T> InjectionTarget<T> of(InjectionTarget<T> target, Supplier<StoppedWorkers> stopped) {
        return new GuardedInjectionTarget<>(target, stopped);
    }

    @Override
    public T produce(CreationalContext<T> ctx) {
        stopped.get(); // looked up while the application runs, not first during its shutdown
        return delegate.produce(ctx);
    }

    @Override
    public void inject(T instance, CreationalContext<T> ctx) {
        delegate.inject(instance, ctx);
    }

    @Override
    public void postConstruct(T instance) {
        delegate.postConstruct(instance);
    }

    @Override
    public void preDestroy(T instance) {
        try {
            stopped.get().destroy(instance, () -> delegate.preDestroy(instance));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) { // the delegate throws nothing checked
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void dispose(T instance) {
        delegate.dispose(instance);
    }

    @Override
    public Set<InjectionPoint> getInjectionPoints() {
        return delegate.getInjectionPoints();
    }
}
