package dev.breaker.worker;

/**
 * Told of every {@link WorkerState} transition of every worker of a graph.
 *
 * <p><b>Threading.</b> Calls are made one at a time, in the order of the transitions, each
 * seeing the effects of the ones before, on the thread driving the graph at that moment: the
 * caller of {@link WorkerGraph#start()} or of {@link WorkerGraph#shutdown()} (or the graph's
 * shutdown thread after an abort), or the thread of a start or stop that has just ended, which
 * takes the next steps itself rather than hand them over. A listener must therefore be quick
 * and must not call {@code start()} or {@code shutdown()} (refused with an
 * {@link IllegalStateException}); whatever it throws, {@link Error}s included, is logged and
 * otherwise ignored. A listener called from several graphs must be thread-safe.
 */
@FunctionalInterface
public interface WorkerListener {
    /**
     * Called after one worker changed state.
     *
     * @param event the transition: which worker, from and to which state, how long the phase
     *              took, and the failure if the worker failed
     */
    void onTransition(WorkerEvent event);

    /**
     * Called once when the graph has terminated, with its report: after the last transition and
     * before {@link WorkerGraph#terminated()} completes, so before any caller of
     * {@link WorkerGraph#shutdown()} returns and before any action on {@code terminated()} runs
     * (also for a {@code start()} that rolled back, before it throws). For what must be done
     * before anyone learns that the graph is down, such as flushing telemetry; everything the
     * listener does here delays the end of the shutdown. Called on the thread that ended the
     * shutdown, under the rules of the class comment ({@code shutdown()} is refused, what it
     * throws is logged and ignored). Does nothing by default.
     *
     * @param report the report that {@link WorkerGraph#shutdown()} returns
     */
    default void onTerminated(ShutdownReport report) {
    }
}
