package dev.breaker.cdi.internal;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundConstruct;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/**
 * Refuses to construct a worker that was destroyed at shutdown. A client proxy whose contextual
 * instance is gone asks the application context for one, and the context creates it anew; this
 * interceptor runs before the worker's constructor, so a late call through the proxy fails at
 * once with {@code BRKR013} (see {@link StoppedWorkers}) and nothing of the worker runs again.
 * Standard CDI only ({@code @AroundConstruct}), so it holds on Weld, OpenWebBeans and ArC.
 * Costs nothing per call: it runs once per construction. Thread-safe (holds nothing mutable).
 *
 * <p>Construction only, on purpose: a lifecycle callback interceptor ({@code @PreDestroy}) makes
 * Weld generate and reflect an intercepted subclass of every worker at boot (about half of the
 * extension's boot overhead with 1,000 workers, measured on Weld 6.0.4), while an
 * {@code @AroundConstruct} one does not.
 * The guarded destruction lives in {@link GuardedInjectionTarget} in CDI Full containers, and in
 * {@link StopGuardDestroyInterceptor} (registered by the build compatible extension only) in CDI Lite.
 */
@StopGuard
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE)
public class StopGuardInterceptor {
    private final StoppedWorkers stopped;

    @Inject
    public StopGuardInterceptor(StoppedWorkers stopped) {
        this.stopped = stopped;
    }

    @AroundConstruct
    Object construct(InvocationContext ctx) throws Exception {
        stopped.refuseIfStopped(ctx.getConstructor().getDeclaringClass());
        return ctx.proceed();
    }
}
