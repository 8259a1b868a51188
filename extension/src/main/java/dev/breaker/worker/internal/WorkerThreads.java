package dev.breaker.worker.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where a graph's work runs, and which of its threads are still alive.
 *
 * <ul>
 *   <li><b>Starts and stops</b> each get a fresh daemon platform thread
 *       ({@code breaker-worker-start-<worker>}, {@code breaker-worker-stop-<worker>}), never a
 *       pooled one: a body that ignores its breaker and every interrupt keeps its own thread and
 *       nothing else, so no start or stop ever waits in a queue behind abandoned ones, and its
 *       clock starts when its body starts. Platform rather than virtual threads even on JDK 21+,
 *       so that a body that spins or blocks while pinned cannot hold a carrier thread of the
 *       JVM's shared virtual-thread scheduler.</li>
 *   <li><b>Jobs</b> run on an executor: a virtual thread each on a JDK that has them (21+);
 *       elsewhere (this library compiles for 17) a bounded pool of daemon platform threads
 *       ({@link #POOL_SIZE}; idle threads end after one second).</li>
 *   <li><b>Routines</b> (and the shutdown thread of an abort) get a thread each: virtual where
 *       available, else a daemon platform thread.</li>
 * </ul>
 * Set the system property {@code dev.breaker.worker.virtualThreads=false} to use platform threads
 * for jobs and routines anyway. All threads are named {@code breaker-worker-…}.
 *
 * <p>Every thread created here is tracked until it ends. A phase that gives up on a body (its
 * timeout elapsed) {@linkplain #abandon marks} the body's thread; {@link #close} waits for every
 * other thread and names the abandoned ones still alive, without waiting for them.
 *
 * <p>Thread-safe.
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

    /**
     * How long after abandoning a thread (and interrupting it) {@link #close} still gives it to
     * end on its own before naming it: a body that honours interrupts ends well within this.
     */
    static final long ABANDONED_GRACE_NANOS = 5_000_000L;

    private final ThreadFactory factory;
    private final ExecutorService executor;
    private final Set<Thread> live = ConcurrentHashMap.newKeySet();
    private final Map<Thread, Long> abandoned = new ConcurrentHashMap<>(); // -> when, System.nanoTime()
    private final AtomicInteger count = new AtomicInteger();

    WorkerThreads() {
        ThreadFactory f = null;
        ExecutorService e = null;
        if (VIRTUAL_FACTORY != null) {
            try {
                f = tracking((ThreadFactory) VIRTUAL_FACTORY.invoke());
                e = (ExecutorService) PER_TASK_EXECUTOR.invoke(f);
            } catch (Throwable t) {
                GraphEngine.rethrowIfFatal(t);
                f = null;
                e = null;
            }
        }
        if (f == null) {
            f = tracking(this::platformThread);
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

    /** The executor for jobs. */
    ExecutorService executor() {
        return executor;
    }

    /** A new, unstarted routine (or shutdown) thread named {@code breaker-worker-<suffix>}. */
    Thread newThread(String suffix, Runnable body) {
        Thread t = factory.newThread(body);
        t.setName(PREFIX + suffix);
        return t;
    }

    /** A new, unstarted daemon platform thread for one start or stop body, named {@code breaker-worker-<suffix>}. */
    Thread newPhaseThread(String suffix, Runnable body) {
        Thread t = platformThread(track(body));
        t.setName(PREFIX + suffix);
        live.add(t);
        return t;
    }

    /**
     * Gives up on {@code t}: it is interrupted, {@link #close} no longer waits for it, and it is
     * reported if it is still alive then. Null is ignored.
     */
    void abandon(Thread t) {
        if (t != null && t.isAlive()) {
            abandoned.putIfAbsent(t, System.nanoTime());
            t.interrupt();
        }
    }

    /**
     * Stops accepting jobs; waits until {@code deadlineNanos} (a {@link System#nanoTime()} value)
     * for every thread that was not abandoned (they have finished their work and are on their
     * way out), then for each abandoned one until {@link #ABANDONED_GRACE_NANOS} after it was
     * abandoned; interrupts what is left and returns its names. Threads it waited for in vain
     * count as abandoned. Never waits for {@code self}.
     *
     * @return the names of the threads still alive, in order; empty if all ended
     */
    Set<String> close(long deadlineNanos, Thread self) {
        executor.shutdown();
        for (Thread t : List.copyOf(live)) {
            if (t != self && !abandoned.containsKey(t)) {
                if (!join(t, deadlineNanos)) {
                    abandoned.putIfAbsent(t, System.nanoTime());
                    t.interrupt();
                }
            }
        }
        for (Map.Entry<Thread, Long> e : List.copyOf(abandoned.entrySet())) {
            long graceEnd = e.getValue() + ABANDONED_GRACE_NANOS;
            join(e.getKey(), graceEnd - deadlineNanos > 0 ? deadlineNanos : graceEnd);
        }
        executor.shutdownNow(); // interrupts the jobs still running: they were abandoned with their runner
        Set<String> left = new TreeSet<>();
        for (Thread t : abandoned.keySet()) {
            if (t.isAlive() && t != self) {
                left.add(t.getName());
            }
        }
        return left;
    }

    /** Whether {@code t} ended before {@code deadlineNanos}; an interrupt of the caller ends the wait (kept). */
    private static boolean join(Thread t, long deadlineNanos) {
        long left = deadlineNanos - System.nanoTime();
        if (!t.isAlive()) {
            return true;
        }
        if (left <= 0 || Thread.currentThread().isInterrupted()) {
            return false;
        }
        try {
            t.join(left / 1_000_000L, (int) (left % 1_000_000L));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !t.isAlive();
    }

    private ThreadFactory tracking(ThreadFactory delegate) {
        return r -> {
            Thread t = delegate.newThread(track(r));
            live.add(t);
            return t;
        };
    }

    /** Removes the thread from {@link #live} when it ends. */
    private Runnable track(Runnable body) {
        return () -> {
            try {
                body.run();
            } finally {
                Thread self = Thread.currentThread();
                live.remove(self);
                abandoned.remove(self);
            }
        };
    }

    private Thread platformThread(Runnable r) {
        Thread t = new Thread(r, PREFIX + count.incrementAndGet());
        t.setDaemon(true);
        return t;
    }
}
