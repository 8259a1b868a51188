package dev.breaker.cdi.internal;

import dev.breaker.worker.WorkerContext;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The workers whose stop has begun, which must never be constructed again in this application.
 * The stop action of each worker marks it before destroying its instance; from then on
 * {@link StopGuardInterceptor} refuses its construction with {@code BRKR013}, naming the worker
 * and the caller: the worker whose thread made the call ({@code WorkerContext.current()}), else
 * the thread. The first refusal of each worker is also logged (the caller may swallow it).
 *
 * <pre>
 *   (not marked) --stop action begins--> STOPPED (construction refused, for good)
 * </pre>
 *
 * Thread-safe: the marks are a concurrent set; the class and dependency maps are immutable.
 */
@Singleton
public class StoppedWorkers {
    private static final System.Logger LOG = System.getLogger("dev.breaker.cdi");

    private final Map<String, String> workerByClass = new HashMap<>();
    private final Map<String, List<String>> dependsOn = new HashMap<>();
    private final Set<String> stopped = ConcurrentHashMap.newKeySet();
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    /** Workers the graph gave up on before their stop began (the shutdown deadline passed). */
    private final Set<String> skipped = ConcurrentHashMap.newKeySet();

    /** Worker instances whose {@code @PreDestroy} is running now (by identity), each with the thread running it. */
    private final Map<Object, Thread> destroying = new IdentityHashMap<>();

    @Inject
    public StoppedWorkers(DeploymentModel model) {
        for (WorkerDef w : model.workers()) {
            workerByClass.put(w.className(), w.name());
            dependsOn.put(w.name(), w.dependsOn());
        }
    }

    /** Marks {@code worker}: its stop has begun; it is never constructed again. Idempotent. */
    void stopping(String worker) {
        stopped.add(worker);
    }

    /**
     * After the graph's shutdown: {@code worker} timed out before its stop began, so the
     * container will destroy it itself. It is marked stopped (never constructed again) and its
     * destruction is moved off the container's thread ({@link #skippedWorker}).
     */
    void skippedAtDeadline(String worker) {
        skipped.add(worker);
        stopped.add(worker);
    }

    /**
     * Claims the destruction of {@code instance}: false if its {@code @PreDestroy} is running
     * already. OpenWebBeans keeps an instance in its context until its destruction returns, so
     * when a stop abandoned at its timeout is still running, the container's own destruction of
     * the application context would run that {@code @PreDestroy} a second time, on the
     * container's thread and without a bound. Every true must be followed by
     * {@link #destroyEnded}; only destructions in progress are held, so nothing accumulates.
     */
    boolean destroyBegins(Object instance) {
        synchronized (destroying) {
            Thread owner = destroying.putIfAbsent(instance, Thread.currentThread());
            return owner == null;
        }
    }

    /**
     * Whether the current thread runs the destruction of {@code instance} already: the container
     * calls the interceptor again when the chain is resumed on another thread (Weld does, for
     * the late {@code @PreDestroy} below), and that call must go on, not be refused.
     */
    boolean destroyRunsHere(Object instance) {
        synchronized (destroying) {
            return destroying.get(instance) == Thread.currentThread();
        }
    }

    /** The destruction of {@code instance} continues on the current thread. */
    void destroyMovesHere(Object instance) {
        synchronized (destroying) {
            destroying.replace(instance, Thread.currentThread());
        }
    }

    void destroyEnded(Object instance) {
        synchronized (destroying) {
            destroying.remove(instance);
        }
    }


    /** The rest of a worker's destruction: its {@code @PreDestroy} callbacks. */
    @FunctionalInterface
    interface Destruction {
        void proceed() throws Exception;
    }

    /**
     * Runs the destruction of the worker instance {@code target}, guarded: a worker that the
     * graph gave up on before its stop began (the shutdown deadline passed) is destroyed by the
     * container itself, on the container's thread and without a bound: its {@code @PreDestroy}
     * then runs on an abandoned daemon thread instead ({@code BRKR017}), so the container's
     * shutdown stays within {@code breaker.shutdown.timeout}; and a {@code @PreDestroy} still
     * running (an abandoned stop) is never begun a second time. Every other destruction proceeds
     * here as usual. Called by the portable extension's injection target wrapper
     * ({@link GuardedInjectionTarget}) and, in CDI Lite, by {@link StopGuardDestroyInterceptor}.
     */
    void destroy(Object target, Destruction destruction) throws Exception {
        if (destroyRunsHere(target)) {
            destruction.proceed(); // an interceptor chain resumed on the late thread below re-enters here (Weld)
            return;
        }
        if (!destroyBegins(target)) {
            // the container destroys an instance whose abandoned stop is still running (OpenWebBeans
            // removes it from its context only once the destruction returns): never run it twice
            LOG.log(Level.DEBUG,
                    "Breaker: @PreDestroy of {0} is still running; not run a second time", target.getClass().getName());
            return;
        }
        String worker = skippedWorker(target.getClass());
        if (worker == null) {
            try {
                destruction.proceed();
            } finally {
                destroyEnded(target);
            }
            return;
        }
        LOG.log(Level.WARNING, Messages.lateDestroy(worker));
        Thread late = new Thread(() -> {
            destroyMovesHere(target);
            try {
                destruction.proceed();
            } catch (Throwable t) {
                LOG.log(Level.WARNING, "Breaker: @PreDestroy of worker '" + worker + "' failed", t);
            } finally {
                destroyEnded(target);
            }
        }, "breaker-late-stop-" + worker);
        late.setDaemon(true);
        late.start();
    }

    /** The worker of {@code type} if the graph gave up on it before its stop began, else null. */
    String skippedWorker(Class<?> type) {
        if (skipped.isEmpty()) {
            return null;
        }
        String worker = workerOf(type);
        return worker != null && skipped.contains(worker) ? worker : null;
    }

    private String workerOf(Class<?> type) {
        String worker = null;
        for (Class<?> c = type; c != null && worker == null; c = c.getSuperclass()) {
            worker = workerByClass.get(c.getName());
        }
        return worker;
    }

    /** Whether {@code worker}'s stop has begun. */
    boolean isStopped(String worker) {
        return stopped.contains(worker);
    }

    /**
     * @throws IllegalStateException with {@code BRKR013} if {@code type} (or a superclass, for a
     *                               container's generated subclass) is a worker whose stop has begun
     */
    void refuseIfStopped(Class<?> type) {
        if (stopped.isEmpty()) {
            return; // the usual case: nothing has stopped, every construction is a start
        }
        String worker = workerOf(type);
        if (worker == null || !stopped.contains(worker)) {
            return;
        }
        String caller = WorkerContext.current().map(WorkerContext::name).orElse(null);
        String message = caller == null
                ? Messages.stoppedWorkerUsedByThread(worker, Thread.currentThread().getName())
                : Messages.stoppedWorkerUsedByWorker(worker, caller, dependsOnTransitively(caller, worker));
        IllegalStateException refused = new IllegalStateException(message);
        if (reported.add(worker)) {
            LOG.log(Level.WARNING, message, refused);
        }
        throw refused;
    }

    private boolean dependsOnTransitively(String from, String to) {
        Deque<String> work = new ArrayDeque<>(dependsOn.getOrDefault(from, List.of()));
        Set<String> seen = new HashSet<>();
        while (!work.isEmpty()) {
            String next = work.pop();
            if (next.equals(to)) {
                return true;
            }
            if (seen.add(next)) {
                work.addAll(dependsOn.getOrDefault(next, List.of()));
            }
        }
        return false;
    }
}
