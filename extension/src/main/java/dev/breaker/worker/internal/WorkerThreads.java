package dev.breaker.worker.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where a graph's work runs. On a JDK with virtual threads (21+), every start, stop, job and
 * routine gets its own virtual thread; elsewhere (this library compiles for 17) starts, stops
 * and jobs share a bounded pool of daemon platform threads ({@link #POOL_SIZE}, idle threads end
 * after one second) and each routine gets its own daemon platform thread. Set the system
 * property {@code dev.breaker.worker.virtualThreads=false} to use platform threads anyway.
 *
 * <p>All threads are named {@code breaker-worker-…}. Thread-safe.
 */
final class WorkerThreads {
    static final String PREFIX = "breaker-worker-";
    /** The bound of the platform thread pool. */
    static final int POOL_SIZE = Math.max(64, 16 * Runtime.getRuntime().availableProcessors());

    private static final MethodHandle VIRTUAL_FACTORY;      // () -> ThreadFactory, or null
    private static final MethodHandle PER_TASK_EXECUTOR;    // (ThreadFactory) -> ExecutorService, or null

    static {
        MethodHandle factory = null;
        MethodHandle perTask = null;
        if (!"false".equalsIgnoreCase(System.getProperty("dev.breaker.worker.virtualThreads"))) {
            try {
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                Class<?> builder = Class.forName("java.lang.Thread$Builder");
                Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
                MethodHandle ofVirtualH = lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtual));
                MethodHandle nameH = lookup.findVirtual(ofVirtual, "name",
                        MethodType.methodType(ofVirtual, String.class, long.class));
                MethodHandle factoryH = lookup.findVirtual(builder, "factory", MethodType.methodType(ThreadFactory.class));
                // () -> ofVirtual().name(PREFIX, 0).factory()
                MethodHandle named = MethodHandles.insertArguments(nameH, 1, PREFIX, 0L);
                factory = MethodHandles.filterReturnValue(
                        MethodHandles.filterReturnValue(ofVirtualH, named),
                        factoryH.asType(MethodType.methodType(ThreadFactory.class, ofVirtual)));
                perTask = lookup.findStatic(java.util.concurrent.Executors.class, "newThreadPerTaskExecutor",
                        MethodType.methodType(ExecutorService.class, ThreadFactory.class));
                factory.invoke(); // fail here, not later, if something is off
            } catch (Throwable t) {
                GraphEngine.rethrowIfFatal(t);
                factory = null;
                perTask = null;
            }
        }
        VIRTUAL_FACTORY = factory;
        PER_TASK_EXECUTOR = perTask;
    }

    private final ThreadFactory factory;
    private final ExecutorService executor;

    WorkerThreads() {
        ThreadFactory f = null;
        ExecutorService e = null;
        if (VIRTUAL_FACTORY != null) {
            try {
                f = (ThreadFactory) VIRTUAL_FACTORY.invoke();
                e = (ExecutorService) PER_TASK_EXECUTOR.invoke(f);
            } catch (Throwable t) {
                GraphEngine.rethrowIfFatal(t);
                f = null;
                e = null;
            }
        }
        if (f == null) {
            f = platformFactory();
            ThreadPoolExecutor pool = new ThreadPoolExecutor(POOL_SIZE, POOL_SIZE, 1, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), f);
            pool.allowCoreThreadTimeOut(true);
            e = pool;
        }
        factory = f;
        executor = e;
    }

    static boolean virtual() {
        return VIRTUAL_FACTORY != null;
    }

    /** The executor for starts, stops and jobs. */
    ExecutorService executor() {
        return executor;
    }

    /** A new, unstarted thread named {@code breaker-worker-<suffix>}. */
    Thread newThread(String suffix, Runnable body) {
        Thread t = factory.newThread(body);
        t.setName(PREFIX + suffix);
        return t;
    }

    /**
     * Stops accepting work and waits up to {@code nanos} for every task to end, then interrupts
     * what is left and waits a little more. Returns whether all ended.
     */
    boolean close(long nanos) {
        executor.shutdown();
        try {
            if (executor.awaitTermination(Math.max(nanos, 0), TimeUnit.NANOSECONDS)) {
                return true;
            }
            executor.shutdownNow();
            return executor.awaitTermination(100, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static ThreadFactory platformFactory() {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, PREFIX + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
