package dev.breaker.worker.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * The worker graph's Flight Recorder events (category "Breaker", "Workers"), and the only code
 * that touches them: the phases hold an event as an {@code Object} and call the static methods
 * here, only when {@link dev.breaker.internal.Jfr#AVAILABLE}, so that a runtime without
 * {@code jdk.jfr} never loads these classes. Every method returns null or does nothing when the
 * event is disabled, and never throws.
 *
 * <p>Threading: an event object is begun by one thread and ended and committed by another (the
 * body's thread, then the thread that handles its end); the phase publishes it between them
 * (see {@link Phase#flight}).
 */
final class WorkerFlight {
    private WorkerFlight() {
    }

    @Name("dev.breaker.WorkerStart")
    @Label("Worker Start")
    @Category({"Breaker", "Workers"})
    @Description("The start body of one worker, from its beginning to its end or to the moment it was given up on")
    @StackTrace(false)
    static final class WorkerStart extends Event {
        @Label("Worker")
        String worker;
        @Label("Outcome")
        @Description("STARTED, FAILED or TIMED_OUT")
        String outcome;
        @Label("Abandoned")
        @Description("The body overran its timeout and its thread was interrupted and given up on")
        boolean abandoned;
        @Label("Failure")
        String failure;
    }

    @Name("dev.breaker.WorkerStop")
    @Label("Worker Stop")
    @Category({"Breaker", "Workers"})
    @Description("The stop body of one worker, from its beginning to its end or to the moment it was given up on;"
            + " NOT_STOPPED (duration 0) for a worker reached after the shutdown timeout")
    @StackTrace(false)
    static final class WorkerStop extends Event {
        @Label("Worker")
        String worker;
        @Label("Outcome")
        @Description("STOPPED, FAILED, TIMED_OUT or NOT_STOPPED")
        String outcome;
        @Label("Abandoned")
        @Description("The body overran its stop timeout and its thread was interrupted and given up on")
        boolean abandoned;
        @Label("Failure")
        String failure;
    }

    @Name("dev.breaker.WorkerRestart")
    @Label("Worker Restart")
    @Category({"Breaker", "Workers"})
    @Description("A supervised routine restarted; the duration is the back-off before the restart")
    @StackTrace(false)
    static final class WorkerRestart extends Event {
        @Label("Worker")
        String worker;
        @Label("Restart")
        @Description("How many times the routine has been restarted, this one included")
        int restart;
        @Label("Cause")
        @Description("What the routine threw, or 'returned'")
        String cause;
    }

    @Name("dev.breaker.GraphStart")
    @Label("Worker Graph Start")
    @Category({"Breaker", "Workers"})
    @Description("The start of a worker graph, from start() to every worker running or the start given up")
    @StackTrace(false)
    static final class GraphStart extends Event {
        @Label("Workers")
        int workers;
        @Label("Outcome")
        @Description("STARTED, or FAILED (then rolled back)")
        String outcome;
        @Label("Critical Path")
        @Description("The chain of starts that ended last, each with its duration")
        String criticalPath;
    }

    @Name("dev.breaker.GraphStop")
    @Label("Worker Graph Stop")
    @Category({"Breaker", "Workers"})
    @Description("The shutdown of a worker graph, from its request to its report")
    @StackTrace(false)
    static final class GraphStop extends Event {
        @Label("Workers")
        int workers;
        @Label("Clean")
        @Description("No cause, no failure, no timeout, no abandoned thread")
        boolean clean;
        @Label("Timed Out")
        @Description("Workers that overran their stop timeout or the shutdown timeout")
        String timedOut;
        @Label("Failed")
        @Description("Workers whose stop failed")
        String failed;
        @Label("Abandoned Threads")
        String abandonedThreads;
        @Label("Cause")
        String cause;
        @Label("Critical Path")
        @Description("The chain of stops that ended last, each with its duration")
        String criticalPath;
    }

    @Name("dev.breaker.ShutdownAnnounced")
    @Label("Shutdown Announced")
    @Category("Breaker")
    @Description("Shutdown was announced: readiness is DOWN from now on; the workers stop after the readiness delay")
    @StackTrace(false)
    static final class ShutdownAnnounced extends Event {
        @Label("By")
        @Description("What announced it: a signal, System.exit, the application or the container")
        String by;
        @Label("Readiness Delay")
        @Timespan(Timespan.MILLISECONDS)
        long readinessDelay;
    }

    /** A start ({@code stop} false) or stop body begins: an event begun now, or null. */
    static Object begin(boolean stop) {
        try {
            return begun(stop ? new WorkerStop() : new WorkerStart());
        } catch (Throwable t) {
            return null;
        }
    }

    /** {@code e}, begun, if its type is enabled in some recording; else null (nothing to end or commit). */
    private static Object begun(Event e) {
        if (!e.isEnabled()) {
            return null;
        }
        e.begin();
        return e;
    }

    /** Ends and commits a start or stop event from {@link #begin}; null is ignored. */
    static void end(Object event, String worker, String outcome, boolean abandoned, Throwable failure) {
        try {
            if (event instanceof WorkerStart) {
                WorkerStart e = (WorkerStart) event;
                e.end();
                e.worker = worker;
                e.outcome = outcome;
                e.abandoned = abandoned;
                e.failure = failure == null ? null : failure.toString();
                e.commit();
            } else if (event instanceof WorkerStop) {
                WorkerStop e = (WorkerStop) event;
                e.end();
                e.worker = worker;
                e.outcome = outcome;
                e.abandoned = abandoned;
                e.failure = failure == null ? null : failure.toString();
                e.commit();
            }
        } catch (Throwable ignored) {
            // recording is never worth a failure of the graph
        }
    }

    /** A stop that never began: a worker reached after the shutdown timeout. */
    static void notStopped(String worker, Throwable why) {
        end(begin(true), worker, "NOT_STOPPED", false, why);
    }

    static Object beginRestart() {
        try {
            return begun(new WorkerRestart());
        } catch (Throwable t) {
            return null;
        }
    }

    static void restarted(Object event, String worker, int restart, Throwable cause) {
        try {
            if (event instanceof WorkerRestart) {
                WorkerRestart e = (WorkerRestart) event;
                e.end();
                e.worker = worker;
                e.restart = restart;
                e.cause = cause == null ? "returned" : cause.toString();
                e.commit();
            }
        } catch (Throwable ignored) {
            // as above
        }
    }

    static Object beginGraph(boolean stop) {
        try {
            return begun(stop ? new GraphStop() : new GraphStart());
        } catch (Throwable t) {
            return null;
        }
    }

    static void graphStarted(Object event, int workers, boolean started, String criticalPath) {
        try {
            if (event instanceof GraphStart) {
                GraphStart e = (GraphStart) event;
                e.end();
                e.workers = workers;
                e.outcome = started ? "STARTED" : "FAILED";
                e.criticalPath = criticalPath;
                e.commit();
            }
        } catch (Throwable ignored) {
            // as above
        }
    }

    static void graphStopped(Object event, int workers, dev.breaker.worker.ShutdownReport report, String criticalPath) {
        try {
            if (event instanceof GraphStop) {
                GraphStop e = (GraphStop) event;
                e.end();
                e.workers = workers;
                e.clean = report.clean();
                e.timedOut = String.join(", ", report.timedOut());
                e.failed = String.join(", ", report.failures().keySet());
                e.abandonedThreads = String.join(", ", report.abandonedThreads());
                e.cause = report.cause().map(Throwable::toString).orElse(null);
                e.criticalPath = criticalPath;
                e.commit();
            }
        } catch (Throwable ignored) {
            // as above
        }
    }

    /** See {@link ShutdownAnnounced}; public through {@link Flight}. */
    static void announced(String by, long readinessDelayMillis) {
        try {
            ShutdownAnnounced e = new ShutdownAnnounced();
            if (e.isEnabled()) {
                e.by = by;
                e.readinessDelay = readinessDelayMillis;
                e.commit();
            }
        } catch (Throwable ignored) {
            // as above
        }
    }
}
