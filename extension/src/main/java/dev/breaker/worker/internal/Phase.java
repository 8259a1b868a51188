package dev.breaker.worker.internal;

import dev.breaker.Breaker;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What the start and the stop have in common: a walk over the graph driven by one thread, which
 * launches each worker's body on the executor as soon as the worker is ready, and reacts to the
 * {@link PhaseEvent}s that bodies and timers post to its queue. Every field is confined to the
 * driving thread except the queue.
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
    int inFlight;
    int settledCount;
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
    }

    /** Runs {@code body} on the executor as the task of {@code node}. */
    void submit(Node node, Runnable body) {
        Task t = new Task(body);
        tasks[node.index] = t;
        inFlight++;
        g.threads().executor().execute(t);
    }

    /** Marks {@code node}'s body as over (for this phase); false if it already was. */
    boolean settle(Node node) {
        int i = node.index;
        if (settled[i]) {
            return false;
        }
        settled[i] = true;
        settledCount++;
        if (tasks[i] != null) {
            inFlight--;
        }
        if (breakers[i] != null) {
            breakers[i].close();
        }
        return true;
    }

    Duration elapsed(Node node) {
        return Duration.ofNanos(System.nanoTime() - began[node.index]);
    }

    /**
     * The next event, waiting at most {@code nanos} (forever if negative). An interrupt of the
     * driving thread does not stop the phase (that would leave workers running); it is kept for
     * the caller and re-asserted by {@link #restoreInterrupt()}.
     */
    PhaseEvent next(long nanos) {
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
