package dev.breaker.worker.internal;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;
import dev.breaker.internal.Jfr;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * What the start and the stop have in common: a walk over the graph, which launches each
 * worker's body on the executor for bodies as soon as the worker is ready, and reacts to the
 * {@link PhaseEvent}s that bodies and timers post to its queue.
 *
 * <p><b>Threading.</b> The thread that runs the phase (the driver) and the threads of bodies
 * that have just ended take turns under {@link #lock}, which guards every field except the
 * queue. A body that ends handles its own end if the lock is free, or free within
 * {@link #HANDLE_WAIT_NANOS} ({@link #finished}): it records the end, tells the listeners, and
 * launches what that end made ready, keeping the first of those to run itself right after (see
 * {@link Task}); so along a chain of workers no thread hands work to another. Otherwise the end
 * goes to the queue for the driver, which otherwise only waits: for timers, for ends it was
 * handed, and for the end of the phase.
 */
abstract class Phase {
    final GraphEngine g;
    final int n;
    final BlockingQueue<PhaseEvent> events = new LinkedBlockingQueue<>();
    final int[] pending;
    final boolean[] launched;
    final boolean[] settled;
    final long[] began;
    final Breaker[] breakers;
    final Task[] tasks;
    final boolean[] submitted;
    int inFlight;
    int settledCount;
    /** When each body's end was settled ({@link Clock#nanoTime()} of the graph's clock); 0 until then. */
    final long[] ended;
    /** How long each body took, as reported (see {@link #elapsed}), once settled. */
    final long[] took;
    /** The worker whose end launched each worker (its last dependency, or dependent when stopping); -1 if none. */
    final int[] launchedBy;
    /** The worker settled last, the end of the critical path; -1 before any. */
    int lastSettled = -1;
    /**
     * The Flight Recorder event of each body ({@link WorkerFlight}), set by the body's thread as
     * it begins and taken by whoever settles it: atomic, since a body given up on may begin while
     * the driver settles it.
     */
    final AtomicReferenceArray<Object> flight;
    /** Guards every field but the queue; held by the driver except while it waits for an event. */
    final ReentrantLock lock = new ReentrantLock();
    /** The body thread handling its own end under the lock, which may keep one launch for itself; else null. */
    private Thread continuing;
    /** What a body thread's handling of its end threw (a bug of ours): the driver rethrows it. */
    private Throwable broken;
    private boolean interrupted;

    Phase(GraphEngine g) {
        this.g = g;
        this.n = g.nodes.size();
        pending = new int[n];
        launched = new boolean[n];
        settled = new boolean[n];
        began = new long[n];
        breakers = new Breaker[n];
        tasks = new Task[n];
        submitted = new boolean[n];
        ended = new long[n];
        took = new long[n];
        launchedBy = new int[n];
        java.util.Arrays.fill(launchedBy, -1);
        flight = new AtomicReferenceArray<>(n);
    }

    /** On a body's thread as it begins: begins its Flight Recorder event if that is enabled. */
    void flightBegin(Node node, boolean stop) {
        if (Jfr.AVAILABLE) {
            Object e = WorkerFlight.begin(stop);
            if (e != null) {
                flight.set(node.index, e);
            }
        }
    }

    /**
     * Ends and commits the Flight Recorder event of {@code node}'s body; if the body had not
     * begun, an event of no duration says what happened to it.
     */
    void flightEnd(Node node, boolean stop, String outcome, boolean abandoned, Throwable failure) {
        if (Jfr.AVAILABLE) {
            Object e = flight.getAndSet(node.index, null);
            WorkerFlight.end(e != null ? e : WorkerFlight.begin(stop), node.name, outcome, abandoned, failure);
        }
    }

    /**
     * The chain of bodies that ended last, each launched by the end of the one before it, with
     * how long each took: {@code "a (12 ms) > b (30 ms)"}; empty if nothing settled.
     */
    String criticalPath() {
        StringBuilder sb = new StringBuilder();
        java.util.ArrayDeque<Integer> chain = new java.util.ArrayDeque<>();
        for (int i = lastSettled; i >= 0 && chain.size() < n; i = launchedBy[i]) {
            chain.addFirst(i);
        }
        for (int i : chain) {
            if (sb.length() > 0) {
                sb.append(" > ");
            }
            sb.append(g.nodes.get(i).name).append(" (").append(took[i] / 1_000_000L).append(" ms)");
        }
        return sb.toString();
    }

    /**
     * Runs {@code body} on the executor for bodies as the task of {@code node}; its thread is
     * named {@code breaker-worker-<kind>-<worker>} while it runs. If it has to wait for a pooled
     * thread, a starvation watch gives it a fresh thread after {@link WorkerThreads#STARVATION}.
     * If no thread can run it, now or later, the body's end is posted at once with that failure.
     */
    Task submit(Node node, String kind, Consumer<Task> body) {
        int i = node.index;
        submitted[i] = true;
        inFlight++;
        Task t = new Task(g.threads(), g.clock, kind + "-" + node.name, body);
        tasks[i] = t;
        if (continuing == Thread.currentThread() && Task.keepForThisThread(t)) {
            return t; // runs on this thread as soon as the body that ended here returns
        }
        try {
            if (!g.threads().runBody(t)) { // it waits for a pooled thread
                Breaker watch = Breaker.byTimeout(WorkerThreads.STARVATION);
                watch.onBreak(() -> {
                    if (watch.reason().map(r -> r.kind() == BreakReason.Kind.TIMEOUT).orElse(false)) {
                        events.add(new PhaseEvent.Starved(node));
                    }
                });
                t.watchStarvation(watch);
            }
        } catch (Throwable e) { // RejectedExecutionException, OutOfMemoryError: unable to create native thread
            events.add(new PhaseEvent.Done(node, e));
        }
        return t;
    }

    /** Handles one event; called with {@link #lock} held. */
    abstract void handle(PhaseEvent e);

    /** Whether the driver has nothing left to wait for; called with {@link #lock} held. */
    abstract boolean over();

    /**
     * Called by a body, on its own thread, as its last act: handles its end on this thread if
     * {@link #lock} is free or soon free ({@link #acquireBriefly}), else posts it to the driver.
     * Never throws.
     */
    void finished(Node node, Throwable failure) {
        PhaseEvent.Done done = new PhaseEvent.Done(node, failure);
        if (!acquireBriefly()) {
            events.add(done);
            return;
        }
        boolean wake;
        try {
            continuing = Thread.currentThread();
            handle(done);
            wake = over();
        } catch (Throwable t) { // a bug of ours, or a VirtualMachineError: the driver ends the phase
            broken = t;
            wake = true;
        } finally {
            continuing = null;
            lock.unlock();
        }
        if (wake) {
            events.add(PhaseEvent.WAKE);
        }
    }

    /**
     * Takes {@link #lock} if it is free within {@link #HANDLE_WAIT_NANOS}: long enough for the
     * driver to finish handling one event (else a quick body that ends while the driver still
     * holds the lock after launching it hands its end over, and so would the next one), short
     * enough that a body never waits long for a driver busy launching many bodies; its thread
     * then goes back to the pool. An interrupt (the body was given up on) ends the wait; it is kept.
     */
    private boolean acquireBriefly() {
        if (lock.tryLock()) {
            return true;
        }
        try {
            return lock.tryLock(HANDLE_WAIT_NANOS, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** How long a body that has ended waits for {@link #lock} before it hands its end to the driver. */
    static final long HANDLE_WAIT_NANOS = 200_000L;

    /**
     * The next event for the driver, waiting at most {@code nanos} (forever if negative) with
     * {@link #lock} released; null if none came in time. Rethrows what a body thread's handling
     * of its end threw.
     */
    PhaseEvent await(long nanos) {
        lock.unlock();
        PhaseEvent e;
        try {
            e = next(nanos);
        } finally {
            lock.lock();
        }
        Throwable t = broken;
        if (t != null) {
            if (t instanceof Error) {
                throw (Error) t;
            }
            throw t instanceof RuntimeException ? (RuntimeException) t : new IllegalStateException(t);
        }
        return e;
    }

    /**
     * Handles a {@link PhaseEvent.Starved}: every thread of the bounded pool is busy with bodies
     * that have not overrun yet, so the body of {@code node} gets a fresh thread rather than wait
     * (its clock has not started: it starts with the body).
     */
    void starved(Node node) {
        Task t = tasks[node.index];
        if (t != null && !settled[node.index]) {
            t.runOnFreshThread();
        }
    }

    /** Marks {@code node}'s body as over (for this phase); false if it already was. */
    boolean settle(Node node) {
        int i = node.index;
        if (settled[i]) {
            return false;
        }
        settled[i] = true;
        settledCount++;
        lastSettled = i;
        long now = g.clock.nanoTime();
        ended[i] = now;
        took[i] = launched[i] ? now - bodyBegan(i) : 0;
        if (submitted[i]) {
            inFlight--;
        }
        if (breakers[i] != null) {
            breakers[i].close();
        }
        Breaker owned = tasks[i] == null ? null : tasks[i].breaker();
        if (owned != null) {
            owned.close();
        }
        return true;
    }

    /** Since the body of {@code node} began (or, if it has not, since it was launched). */
    Duration elapsed(Node node) {
        return Duration.ofNanos(g.clock.nanoTime() - bodyBegan(node.index));
    }

    /** When the body of worker {@code i} began or, if it has not, when it was launched. */
    long bodyBegan(int i) {
        return tasks[i] == null ? began[i] : tasks[i].beganNanos(began[i]);
    }

    /** Gives up on the body of {@code node}, if it has one: interrupted and left behind. */
    void abandon(Node node) {
        Task t = tasks[node.index];
        if (t != null) {
            t.abandon();
        }
    }

    /**
     * The next event, waiting at most {@code nanos} (forever if negative). An interrupt of the
     * driving thread does not stop the phase (that would leave workers running); it is kept for
     * the caller and re-asserted by {@link #restoreInterrupt()}.
     */
    private PhaseEvent next(long nanos) {
        while (true) {
            try {
                return nanos < 0 ? events.take() : events.poll(nanos, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
                g.requestStop(null);
            }
        }
    }

    void restoreInterrupt() {
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    static long millis(Duration d) {
        return d.toMillis();
    }
}
