package dev.breaker.cdi.internal;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/**
 * The guarded destruction of a worker ({@link StoppedWorkers#destroy}) in CDI Lite: registered by
 * the build compatible extension only (ArC generates its interception at build time, so it costs
 * nothing at boot). The portable extension wraps each worker's injection target instead
 * ({@link GuardedInjectionTarget}) and vetoes this class if type discovery finds it
 * ({@link LibraryBeans}): in Weld a {@code @PreDestroy} interceptor means an intercepted subclass
 * generated for every worker at boot. Thread-safe (holds nothing mutable).
 */
@StopGuard
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE)
public class StopGuardDestroyInterceptor {
    private final StoppedWorkers stopped;

    @Inject
    public StopGuardDestroyInterceptor(StoppedWorkers stopped) {
        this.stopped = stopped;
    }

    @PreDestroy
    void destroy(InvocationContext ctx) throws Exception {
        Object target = ctx.getTarget();
        if (target == null) {
            ctx.proceed();
            return;
        }
        stopped.destroy(target, ctx::proceed);
    }
}
