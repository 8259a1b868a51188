package dev.breaker.cdi.internal;

import jakarta.annotation.PreDestroy;
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
 */
@StopGuard
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE)
public class StopGuardInterceptor {
    private static final System.Logger LOG = System.getLogger("dev.breaker.cdi");
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

    /**
     * A worker that the graph gave up on before its stop began (the shutdown deadline passed) is
     * destroyed by the container itself, on the container's thread and without a bound: its
     * {@code @PreDestroy} then runs on an abandoned daemon thread instead, so the container's
     * shutdown stays within {@code breaker.shutdown.timeout}. Every other destruction proceeds
     * here as usual.
     */
    @PreDestroy
    void destroy(InvocationContext ctx) throws Exception {
        Object target = ctx.getTarget();
        if (target == null) {
            ctx.proceed();
            return;
        }
        if (stopped.destroyRunsHere(target)) {
            ctx.proceed(); // the chain resumed on the late thread below re-enters here (Weld)
            return;
        }
        if (!stopped.destroyBegins(target)) {
            // the container destroys an instance whose abandoned stop is still running (OpenWebBeans
            // removes it from its context only once the destruction returns): never run it twice
            LOG.log(System.Logger.Level.DEBUG,
                    "Breaker: @PreDestroy of {0} is still running; not run a second time", target.getClass().getName());
            return;
        }
        String worker = stopped.skippedWorker(target.getClass());
        if (worker == null) {
            try {
                ctx.proceed();
            } finally {
                stopped.destroyEnded(target);
            }
            return;
        }
        LOG.log(System.Logger.Level.WARNING, Messages.lateDestroy(worker));
        Thread late = new Thread(() -> {
            stopped.destroyMovesHere(target);
            try {
                ctx.proceed();
            } catch (Throwable t) {
                LOG.log(System.Logger.Level.WARNING,
                        "Breaker: @PreDestroy of worker '" + worker + "' failed", t);
            } finally {
                stopped.destroyEnded(target);
            }
        }, "breaker-late-stop-" + worker);
        late.setDaemon(true);
        late.start();
    }
}
