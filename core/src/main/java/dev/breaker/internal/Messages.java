package dev.breaker.internal;

/**
 * The catalogue of the breakers' internals: every line they log, and the exceptions they throw
 * for the environment (not for a wrong argument), each with a stable code ({@code BRKR150}…
 * {@code BRKR199}; the worker graph has {@code BRKR100}… in
 * {@link dev.breaker.worker.internal.Messages}; {@code BRKR019}, {@code BRKR020} and
 * {@code BRKR022}, older, stay where they were), in one place so that tests can assert them and
 * users can search for them (see {@code docs/messages.md}).
 *
 * <p>A log line is built only when its level is enabled: the library logs through
 * {@code System.Logger} with a {@link java.util.function.Supplier} calling a method here.
 * Stateless; thread-safe.
 */
public final class Messages {
    private Messages() {
    }

    /**
     * BRKR150 (WARNING, with the failure): a task on a callback thread (an action of a tripped
     * breaker run asynchronously) threw; the thread goes on with the next one.
     *
     * @return the line
     */
    static String callbackFailed() {
        return "BRKR150: Breaker: a callback failed (ignored)";
    }

    /**
     * BRKR151 (WARNING, with the failure): user code run by the library (an {@code onBreak}
     * action, a trip by a signal) threw; the library goes on.
     *
     * @param what what the library was doing, such as {@code "running an onBreak action"}
     * @return the line
     */
    static String failureWhile(String what) {
        return "BRKR151: Breaker: failure while " + what + " (ignored)";
    }

    /**
     * BRKR152 (WARNING, with the failure): when the last breaker of a signal closed, the JVM
     * refused to restore the handler that signal had before.
     *
     * @param signal the signal's name without {@code SIG}
     * @return the line
     */
    static String restoreFailed(String signal) {
        return "BRKR152: Breaker: could not restore the handler of SIG" + signal;
    }

    /**
     * BRKR153 (WARNING): the actions of the breakers a signal tripped had not ended within the
     * bound; the signal goes on to its previous handler (for INT and TERM, the JVM's exit).
     *
     * @param signal the signal's name without {@code SIG}
     * @param boundMillis the bound
     * @return the line
     */
    static String signalActionsOverran(String signal, long boundMillis) {
        return "BRKR153: Breaker: the actions of a breaker tripped by SIG" + signal + " did not end within "
                + boundMillis + " ms; the signal goes on without them";
    }

    /**
     * BRKR154 ({@code UnsupportedOperationException} of {@code Breaker.bySignal}): the JVM cannot
     * handle that signal on this OS (an unknown name, or one the JVM keeps for itself).
     *
     * @param signal the signal's name without {@code SIG}
     * @param why the JVM's reason
     * @return the message
     */
    static String signalUnsupported(String signal, String why) {
        return "BRKR154: Signal SIG" + signal + " cannot be handled by this JVM on this OS: " + why;
    }

    /**
     * BRKR155 (DEBUG): the second-signal halt is not armed: {@code sun.misc.Signal} is not visible
     * to the library's class loader.
     *
     * @param e the failure to load it
     * @return the line
     */
    static String noSecondSignal(LinkageError e) {
        return "BRKR155: Breaker: no second-signal handler (sun.misc.Signal is not visible here): " + e;
    }

    /**
     * BRKR156 (INFO): a shutdown began and the second-signal halt ({@code BRKR019}) is armed.
     *
     * @return the line
     */
    static String secondSignalArmed() {
        return "BRKR156: Breaker: shutdown under way; a second SIGINT or SIGTERM halts the process";
    }

    /**
     * BRKR157 (WARNING, with the failure): a tripped breaker's attempt to cancel a running JDBC
     * statement failed; the statement may run on.
     *
     * @return the line
     */
    public static String jdbcCancelFailed() {
        return "BRKR157: Breaker: cancelling a JDBC statement failed (the statement may run on)";
    }
}
