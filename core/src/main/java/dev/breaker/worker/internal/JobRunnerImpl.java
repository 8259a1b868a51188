package dev.breaker.worker.internal;

import dev.breaker.worker.JobRunner;
import dev.breaker.worker.WorkerAction;
import dev.breaker.worker.WorkerContext;
import dev.breaker.worker.WorkerSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * A {@link JobRunner} and the worker that carries it in the graph: its start opens it (jobs
 * accepted before wait until then), its stop closes it to new jobs and waits for the jobs in
 * flight, and it is bound to its own worker so that it is closed (pending jobs rejected) even if
 * it never started. Thread-safe; the lock is held only briefly, never while a job runs.
 */
public final class JobRunnerImpl implements JobRunner {
    private final String name;
    private final WorkerSpec spec;
    private final Object lock = new Object();
    private Executor executor;                          // guarded by lock; set when started
    private volatile WorkerThreads threads;             // set when started
    private boolean accepting = true;                   // guarded by lock
    private int inFlight;                               // guarded by lock
    private final List<Runnable> waiting = new ArrayList<>(); // guarded by lock
    private final List<CompletableFuture<?>> waitingFutures = new ArrayList<>(); // guarded by lock
    private CompletableFuture<Void> drained;            // guarded by lock; set when closed
    private final Set<Thread> running = ConcurrentHashMap.newKeySet(); // threads running a job now

    public JobRunnerImpl(String name, String... dependsOn) {
        this.name = name;
        this.spec = WorkerSpec.builder(name)
                .dependsOn(dependsOn)
                .onStart(ctx -> open(((ContextImpl) ctx).engine.threads()))
                .onStop(new Drain())
                .bind(this::reject)
                .build();
    }

    /** The worker that carries this runner. */
    public WorkerSpec spec() {
        return spec;
    }

    /** Called when this runner's worker has started. */
    void open(WorkerThreads threads) {
        Executor executor = threads.jobs();
        List<Runnable> ready;
        synchronized (lock) {
            if (!accepting || this.executor != null) {
                return;
            }
            this.threads = threads;
            this.executor = executor;
            ready = new ArrayList<>(waiting);
            waiting.clear();
            waitingFutures.clear();
        }
        ready.forEach(executor::execute);
    }

    @Override
    public <T> CompletableFuture<T> submit(Callable<T> job) {
        Objects.requireNonNull(job, "job");
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable task = () -> run(job, result);
        Executor ex;
        synchronized (lock) {
            if (!accepting) {
                throw new RejectedExecutionException(Messages.rejected(name));
            }
            inFlight++;
            ex = executor;
            if (ex == null) {
                waiting.add(task);
                waitingFutures.add(result);
                return result;
            }
        }
        ex.execute(task);
        return result;
    }

    private <T> void run(Callable<T> job, CompletableFuture<T> result) {
        Thread self = Thread.currentThread();
        running.add(self);
        try {
            result.complete(job.call());
        } catch (Throwable t) { // Errors included: the job's result carries it, the thread goes on
            result.completeExceptionally(t);
        } finally {
            running.remove(self);
            WorkerThreads t = threads;
            if (t != null) {
                t.returned(self); // if its runner's stop had given up on it
            }
            finished(1);
        }
    }

    /**
     * This runner's stop action: closes it to new jobs and waits for those in flight. When the
     * stop overruns its timeout, the graph gives up on the threads of the jobs still running.
     */
    final class Drain implements WorkerAction {
        @Override
        public void run(WorkerContext ctx) throws Exception {
            drain();
        }

        /** Interrupts the jobs still running and leaves their threads behind. */
        void abandonJobs(WorkerThreads threads) {
            for (Thread t : running) {
                threads.abandon(t);
            }
        }
    }

    private void finished(int n) {
        CompletableFuture<Void> done = null;
        synchronized (lock) {
            inFlight -= n;
            if (inFlight == 0 && drained != null) {
                done = drained;
            }
        }
        if (done != null) {
            done.complete(null);
        }
    }

    @Override
    public int inFlight() {
        synchronized (lock) {
            return inFlight;
        }
    }

    @Override
    public String name() {
        return name;
    }

    /** Stops accepting jobs and waits for those in flight (interrupted at the stop timeout). */
    private void drain() throws InterruptedException, ExecutionException {
        CompletableFuture<Void> done;
        synchronized (lock) {
            accepting = false;
            if (drained == null) {
                drained = new CompletableFuture<>();
                if (inFlight == 0) {
                    drained.complete(null);
                }
            }
            done = drained;
        }
        done.get();
    }

    /** Stops accepting jobs and rejects those still waiting for a start that will not come. */
    private void reject() {
        List<CompletableFuture<?>> rejected;
        synchronized (lock) {
            accepting = false;
            if (drained == null) {
                drained = new CompletableFuture<>();
            }
            rejected = new ArrayList<>(waitingFutures);
            waiting.clear();
            waitingFutures.clear();
        }
        for (CompletableFuture<?> f : rejected) {
            f.completeExceptionally(new RejectedExecutionException(Messages.rejected(name)));
        }
        finished(rejected.size());
    }

    @Override
    public String toString() {
        return "JobRunner[" + name + "]";
    }
}
