package dev.breaker.worker.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where a graph's work runs, and which of its threads are still alive.
 *
 * <ul>
 *   <li><b>Starts and stops</b> run on an executor of their own. On a JDK with virtual threads
 *       (21+) each body gets its own virtual thread. Elsewhere (this library compiles for 17)
 *       they share a {@link ThreadPool} of daemon platform threads, one per graph for both its
 *       start and its stop: a body goes to an idle thread if there is one, else to a new thread
 *       while there are fewer than {@link #POOL_SIZE} (64 by default), and only then waits for
 *       a thread (idle threads end after one second). The bound never counts an abandoned thread: when a body
 *       is given up on, the pool grows by one thread at once, and shrinks back when that body
 *       finally returns. A body that still finds no thread within {@link #STARVATION} (every
 *       pooled thread busy with a body that has not overrun yet, or no thread could be
 *       created) gets a fresh daemon thread of its own, if one can be created. So no start or
 *       stop ever waits in a queue behind abandoned bodies, and none waits long behind slow
 *       ones, however many there are; a body's clock starts when the body starts, so the wait
 *       costs it nothing of its timeout. If no thread can be created (a container's pid limit)
 *       while the pool has threads, the body waits for one of them rather than fail.</li>
 *   <li><b>Jobs</b> run on a second executor of the same kind (a bounded pool on JDK 17), so
 *       that jobs never take a thread a start or stop needs.</li>
 *   <li><b>Routines</b> (and the shutdown thread of an abort) get a thread each: virtual where
 *       available, else a daemon platform thread.</li>
 * </ul>
 * Set the system property {@code dev.breaker.worker.virtualThreads=false} to use platform threads
 * anyway; consider it if a start or stop may spin without end or block while pinned, which on a
 * virtual thread would hold a carrier thread of the JVM's shared scheduler. While a start or
 * stop body runs, its thread is named {@code breaker-worker-start-<worker>} or
 * {@code breaker-worker-stop-<worker>}; all other threads are named {@code breaker-worker-…}.
 *
 * <p>Every thread created here is tracked until it ends. A phase that gives up on a body (its
 * timeout elapsed) {@linkplain #abandon abandons} the body's thread; {@link #close} waits for
 * every other thread and names the abandoned ones still alive, without waiting for them.
 *
 * <p>Thread-safe.
 */
final class WorkerThreads {
    static final String PREFIX = "breaker-worker-";
    /**
     * The default bound of the platform thread pool for starts and stops. Stop bodies mostly wait
     * (on a socket, a flush, a sleep), so more threads would shorten wide graphs (1,000
     * independent 5 ms stops take 16 waves on 64 threads); but the driving thread creates each
     * thread, which cost it ~370 us apiece on this project's loaded 2-core machine, and 256
     * threads measured slower than 64 there. Raise it with {@code dev.breaker.worker.poolSize}.
     */
    static final int DEFAULT_POOL_SIZE = Math.max(64, 16 * Runtime.getRuntime().availableProcessors());

    /**
     * The bound of the platform thread pool for starts and stops, not counting abandoned
     * threads: the system property {@code dev.breaker.worker.poolSize} if set (at least 1), else
     * {@link #DEFAULT_POOL_SIZE}. Reaching a process limit on threads below it costs no start or
     * stop anything but a wait for a pooled thread (see {@link ThreadPool}).
     */
    static final int POOL_SIZE = poolSize(System.getProperty("dev.breaker.worker.poolSize"));

    /** The bound of the platform thread pool for jobs. */
    static final int JOB_POOL_SIZE = Math.max(64, 16 * Runtime.getRuntime().availableProcessors());

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
     * How long a start or stop body may wait for a thread of the bounded pool before it gets a
     * fresh thread of its own: longer than a pool of {@link #POOL_SIZE} needs to work through a
     * thousand quick bodies, far shorter than any sensible stop timeout.
     */
    static final Duration STARVATION = Duration.ofMillis(200);

    /**
     * How long after abandoning a thread (and interrupting it) {@link #close} still gives it to
     * end on its own before naming it: a body that honours interrupts ends well within this.
     */
    static final long ABANDONED_GRACE_NANOS = 5_000_000L;

    private final ThreadFactory factory;
    private final ExecutorService bodies;       // virtual threads; else null
    private final ThreadPool bodyPool;          // platform threads; else null
    private final ExecutorService jobs;         // virtual threads; else null
    private final ThreadPool jobPool;           // platform threads; else null
    private final Set<Thread> live = ConcurrentHashMap.newKeySet();
    private final Clock clock;
    private final Map<Thread, Long> abandoned = new ConcurrentHashMap<>(); // -> when, clock.nanoTime()
    private final AtomicInteger count = new AtomicInteger();
    private final ThreadFactory platformFactory = tracking(this::platformThread);

    WorkerThreads() {
        this(Clock.SYSTEM);
    }

    /** Threads for a graph whose times, such as {@link #close}'s deadline, are read on {@code clock}. */
    WorkerThreads(Clock clock) {
        this.clock = clock;
        ThreadFactory f = null;
        ExecutorService b = null;
        ExecutorService j = null;
        if (VIRTUAL_FACTORY != null) {
            try {
                f = tracking((ThreadFactory) VIRTUAL_FACTORY.invoke());
                b = (ExecutorService) PER_TASK_EXECUTOR.invoke(f);
                j = (ExecutorService) PER_TASK_EXECUTOR.invoke(f);
            } catch (Throwable t) {
                GraphEngine.rethrowIfFatal(t);
                f = null;
            }
        }
        if (f == null) {
            f = platformFactory;
            bodyPool = new ThreadPool(POOL_SIZE, f);
            jobPool = new ThreadPool(JOB_POOL_SIZE, f);
            b = null;
            j = null;
        } else {
            bodyPool = null;
            jobPool = null;
        }
        factory = f;
        bodies = b;
        jobs = j;
    }

    /** The pool bound for the value of {@code dev.breaker.worker.poolSize}: ignored if null or not a positive integer. */
    static int poolSize(String property) {
        if (property != null) {
            try {
                int size = Integer.parseInt(property.trim());
                if (size > 0) {
                    return size;
                }
            } catch (NumberFormatException e) {
                // fall through to the default
            }
            GraphEngine.LOG.log(System.Logger.Level.WARNING, () -> Messages.badPoolSize(property, DEFAULT_POOL_SIZE));
        }
        return DEFAULT_POOL_SIZE;
    }

    static boolean virtual() {
        return VIRTUAL_FACTORY != null;
    }

    /**
     * Runs a start or stop body on a thread of its own (virtual threads), or of the pool.
     *
     * @return true if the body has a thread; false if it waits for a pooled one to be free
     *         (only with the bounded pool of platform threads, in which a body may wait
     *         behind bodies that are slow but not yet given up on)
     * @throws java.util.concurrent.RejectedExecutionException after {@link #close}
     * @throws OutOfMemoryError if no thread could be created and the pool has none that could
     *         run the body later
     */
    boolean runBody(Runnable body) {
        if (bodyPool == null) {
            bodies.execute(body);
            return true;
        }
        return bodyPool.execute(body);
    }

    /**
     * No body will be run from now on: the pool of bodies accepts no more, and its idle threads
     * end now rather than after their keep-alive (bodies already given to it still run).
     */
    void noMoreBodies() {
        if (bodyPool != null) {
            bodyPool.shutdown();
        } else {
            bodies.shutdown();
        }
    }

    /** The executor for jobs. */
    Executor jobs() {
        return jobPool == null ? jobs : jobPool::execute;
    }

    /** The pool of bodies, or null with virtual threads (for tests). */
    ThreadPool bodyPool() {
        return bodyPool;
    }

    /** A new, unstarted routine (or shutdown) thread named {@code breaker-worker-<suffix>}. */
    Thread newThread(String suffix, Runnable body) {
        Thread t = factory.newThread(body);
        t.setName(PREFIX + suffix);
        return t;
    }

    /**
     * Gives up on {@code t}, which runs a routine or a job: it is interrupted, {@link #close} no
     * longer waits for it, and it is reported if it is still alive then. Null is ignored.
     */
    void abandon(Thread t) {
        if (t != null && t.isAlive()) {
            abandoned.putIfAbsent(t, clock.nanoTime());
            t.interrupt();
        }
    }

    /**
     * Gives up on {@code t}, which runs a start or stop body, as {@link #abandon} does, and lets
     * the pool start another thread in its place. Called only while the body runs; the body
     * calls {@link #bodyReturned} when it does.
     */
    void abandonBody(Thread t, boolean pooled) {
        abandon(t);
        if (pooled && bodyPool != null) {
            resize(+1);
        }
    }

    /** A routine or job given up on by {@link #abandon} has returned on {@code t}, which goes back to work. */
    void returned(Thread t) {
        abandoned.remove(t);
    }

    /** A body given up on by {@link #abandonBody} has returned on {@code t}, which goes back to the pool. */
    void bodyReturned(Thread t, boolean pooled) {
        abandoned.remove(t);
        if (pooled && bodyPool != null) {
            resize(-1);
        }
    }

    /** A new, unstarted daemon platform thread for a body that waited too long for a pooled one. */
    Thread newBodyThread(Runnable body) {
        return platformFactory.newThread(body);
    }

    /** Grows or shrinks the pool of bodies by {@code delta} (±1) threads. */
    private void resize(int delta) {
        if (delta > 0) {
            bodyPool.grow(); // starts a thread for waiting bodies at once
        } else {
            bodyPool.shrink();
        }
    }

    /**
     * Stops accepting work; waits until {@code deadlineNanos} (a {@link Clock#nanoTime()} value)
     * for every thread that was not abandoned (they have finished their work and are on their
     * way out), then for each abandoned one until {@link #ABANDONED_GRACE_NANOS} after it was
     * abandoned; interrupts what is left and returns its names. Threads it waited for in vain
     * count as abandoned. Never waits for {@code self}.
     *
     * @return the names of the threads still alive, in order; empty if all ended
     */
    Set<String> close(long deadlineNanos, Thread self) {
        shutdown(false);
        for (Thread t : List.copyOf(live)) {
            if (t != self && !abandoned.containsKey(t)) {
                if (!join(t, deadlineNanos)) {
                    abandoned.putIfAbsent(t, clock.nanoTime());
                    t.interrupt();
                }
            }
        }
        for (Map.Entry<Thread, Long> e : List.copyOf(abandoned.entrySet())) {
            long graceEnd = e.getValue() + ABANDONED_GRACE_NANOS;
            join(e.getKey(), graceEnd - deadlineNanos > 0 ? deadlineNanos : graceEnd);
        }
        shutdown(true); // interrupts the jobs still running: they were abandoned with their runner
        Set<String> left = new TreeSet<>();
        for (Thread t : abandoned.keySet()) {
            if (t.isAlive() && t != self) {
                left.add(t.getName());
            }
        }
        return left;
    }

    private void shutdown(boolean now) {
        if (bodyPool != null) {
            if (now) {
                bodyPool.shutdownNow();
                jobPool.shutdownNow();
            } else {
                bodyPool.shutdown();
                jobPool.shutdown();
            }
        } else if (now) {
            bodies.shutdownNow();
            jobs.shutdownNow();
        } else {
            bodies.shutdown();
            jobs.shutdown();
        }
    }

    /** Whether {@code t} ended before {@code deadlineNanos}; an interrupt of the caller ends the wait (kept). */
    private boolean join(Thread t, long deadlineNanos) {
        long left = deadlineNanos - clock.nanoTime(); // waited in real time: a bound, not a timer
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
