package dev.breaker.jdbc;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;
import dev.breaker.BrokenException;

import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs one JDBC statement execution bounded by a {@link Breaker}: when the breaker trips while
 * the statement runs, the statement is {@linkplain Statement#cancel() cancelled} on the server
 * and the caller gets a {@link BrokenException} carrying the breaker's reason.
 *
 * <pre>{@code
 * try (Breaker breaker = Breaker.byTimeout(Duration.ofSeconds(2));
 *      PreparedStatement ps = connection.prepareStatement("SELECT * FROM orders WHERE customer = ?")) {
 *     ps.setLong(1, customerId);
 *     try (ResultSet rs = Jdbc.execute(breaker, ps, PreparedStatement::executeQuery)) {
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>Only the call given to {@link #execute} is bounded. A driver that fetches rows lazily (a
 * fetch size with auto-commit off, for PostgreSQL) reads them later, in
 * {@link java.sql.ResultSet#next()}, unbounded; to bound the reading as well, read the rows
 * inside the call: {@code Jdbc.execute(breaker, ps, s -> { try (ResultSet rs = s.executeQuery())
 * { return read(rs); } })}.
 *
 * <h2>Thread safety</h2>
 * {@link #execute} may be called from any number of threads at once, each with its own
 * statement (as JDBC requires, a statement and its connection are used by one thread at a
 * time). The only other thread that touches the statement is the one on which the breaker runs
 * its actions, and only to call {@link Statement#cancel()}, which JDBC allows from another
 * thread; {@code execute} does not return before such a cancel has finished.
 */
public final class Jdbc {
    private static final System.Logger LOG = System.getLogger("dev.breaker.jdbc");

    private Jdbc() {
    }

    /**
     * Runs {@code call} on {@code statement}, cancelling the statement if {@code breaker} trips
     * meanwhile.
     * <ol>
     *   <li>If the breaker has tripped, throws a {@link BrokenException} carrying its reason
     *       and does <em>not</em> execute the statement (nothing reaches the database).
     *   <li>If the breaker knows its {@linkplain Breaker#remaining() time left}, sets the
     *       statement's {@linkplain Statement#setQueryTimeout(int) query timeout} to it, rounded
     *       up to whole seconds and at least 1 (so with 9.2 s left the timeout is 10 s; JDBC
     *       counts seconds, and 0 means no limit), unless the statement already has a shorter
     *       (or equal) timeout, which is kept. The breaker cancels the statement at its own
     *       time; the query timeout is the driver's backstop (see below). A breaker that knows
     *       no time left (manual, signal, future) leaves the query timeout alone.
     *   <li>Registers {@link Breaker#onBreak(Runnable) an action} that calls
     *       {@link Statement#cancel()} if the breaker trips while the call runs. A cancel that
     *       throws is logged (logger {@code dev.breaker.jdbc}) and swallowed: the breaker's
     *       other actions still run.
     *   <li>Runs {@code call} on this thread, once.
     *   <li>As soon as the call has returned or thrown, removes the action and, if it is
     *       running on another thread, waits until it has finished (even if this thread is
     *       interrupted meanwhile, whose interrupt status is then kept), so that a late cancel
     *       never hits the connection's next statement. (Like {@link Breaker.Registration#close()},
     *       it does not wait when {@code execute} itself runs inside a breaker's action, where
     *       waiting could deadlock.) Then restores the query timeout the statement had, if it was
     *       changed and the statement is still open.
     * </ol>
     * A trip in the instant between the registration and the driver's sending the statement may
     * find nothing to cancel (PostgreSQL's driver, for one, ignores a cancel while no statement
     * runs); the query timeout, for a breaker that has one, still ends such a statement.
     *
     * @param breaker   what bounds the execution
     * @param statement the statement to execute; open
     * @param call      what to do with it, such as {@code PreparedStatement::executeQuery}
     * @param <S>       the kind of statement
     * @param <T>       what the call returns
     * @return what the call returned, also if the breaker tripped after the call's work was done
     *         (a result that the database produced is not thrown away)
     * @throws BrokenException      if the breaker had tripped before the call (the statement was
     *                              not executed; no cause), or if it tripped while the call ran
     *                              and the call then threw (what the call threw, typically the
     *                              driver's "statement cancelled" {@link SQLException}, is the
     *                              cause); a {@code BrokenException} thrown by the call itself
     *                              is rethrown as it is
     * @throws SQLException         what the call threw, as it is, if the breaker did not trip;
     *                              if {@code statement} is closed; if reading, setting or
     *                              restoring its query timeout fails (a result the call returned
     *                              is then closed if it is {@link AutoCloseable})
     * @throws NullPointerException if {@code breaker}, {@code statement} or {@code call} is
     *                              null (the message names it)
     */
    public static <S extends Statement, T> T execute(Breaker breaker, S statement,
            SqlCall<? super S, ? extends T> call) throws SQLException {
        Objects.requireNonNull(breaker, "breaker");
        Objects.requireNonNull(statement, "statement");
        Objects.requireNonNull(call, "call");
        return executeResolved(dev.breaker.internal.BreakerHandle.resolve(breaker), statement, call);
    }

    private static <S extends Statement, T> T executeResolved(Breaker breaker, S statement,
            SqlCall<? super S, ? extends T> call)
            throws SQLException {
        breaker.throwIfBroken();
        if (statement.isClosed()) {
            throw new SQLException("Jdbc.execute: the statement is closed");
        }
        int previousTimeout = limitQueryTimeout(breaker, statement);
        T result;
        try {
            result = callCancellable(breaker, statement, call);
        } catch (Throwable failure) {
            try {
                restoreQueryTimeout(statement, previousTimeout);
            } catch (Throwable restoring) {
                failure.addSuppressed(restoring);
            }
            throw failure;
        }
        try {
            restoreQueryTimeout(statement, previousTimeout);
        } catch (SQLException | RuntimeException restoring) {
            if (result instanceof AutoCloseable) {
                try {
                    ((AutoCloseable) result).close();
                } catch (Exception closing) {
                    restoring.addSuppressed(closing);
                }
            }
            throw restoring;
        }
        return result;
    }

    /** Runs the call with the cancel action registered; see {@link #execute}. */
    private static <S extends Statement, T> T callCancellable(Breaker breaker, S statement,
            SqlCall<? super S, ? extends T> call) throws SQLException {
        Cancel cancel = new Cancel(statement);
        Breaker.Registration registration = breaker.onBreak(cancel);
        try {
            cancel.state = Cancel.RUNNING; // a volatile write, then the read of the breaker's state
            breaker.throwIfBroken(); // tripped since the first check: still not executed
            return call.call(statement);
        } catch (BrokenException e) {
            throw e;
        } catch (SQLException | RuntimeException e) {
            cancel.end(registration); // before reading the reason: a running cancel has finished
            Optional<BreakReason> reason = breaker.reason();
            if (reason.isPresent()) {
                throw new BrokenException(reason.get(), e);
            }
            throw e;
        } finally {
            cancel.end(registration); // idempotent
        }
    }

    /**
     * Bounds the statement's query timeout by the breaker's time left, if the breaker knows it
     * and the statement has no shorter timeout.
     *
     * @return the timeout to restore afterwards, or -1 if it was left alone
     */
    private static int limitQueryTimeout(Breaker breaker, Statement statement) throws SQLException {
        Optional<Duration> left = breaker.remaining();
        if (left.isEmpty()) {
            return -1;
        }
        int bound = querySeconds(left.get());
        int previous = statement.getQueryTimeout();
        if (previous > 0 && previous <= bound) {
            return -1;
        }
        statement.setQueryTimeout(bound);
        return previous;
    }

    /** The time left in whole seconds for {@link Statement#setQueryTimeout}: rounded up, at least 1. */
    static int querySeconds(Duration left) {
        if (left.isNegative() || left.isZero()) {
            return 1;
        }
        long seconds = left.getSeconds() + (left.getNano() > 0 ? 1 : 0);
        return (int) Math.min(seconds, Integer.MAX_VALUE);
    }

    private static void restoreQueryTimeout(Statement statement, int previous) throws SQLException {
        if (previous >= 0 && !statement.isClosed()) { // a call may close its statement
            statement.setQueryTimeout(previous);
        }
    }

    /**
     * The breaker's action: cancels the statement, but only while the call runs (a cancel
     * before or after it would find nothing to cancel, and some drivers would keep it for the
     * next execution).
     *
     * <p>Thread safety: {@link #state} is volatile; {@link #run()} runs on the breaker's thread,
     * the rest on the caller's.
     */
    private static final class Cancel implements Runnable {
        static final int BEFORE = 0;
        static final int RUNNING = 1;
        static final int ENDED = 2;

        private final Statement statement;
        volatile int state = BEFORE;

        Cancel(Statement statement) {
            this.statement = statement;
        }

        /**
         * The breaker tripped. The caller writes {@link #RUNNING} and then reads the breaker's
         * state; the breaker is marked tripped before this runs and reads the state: so either
         * the caller sees the trip and does not execute, or this sees the call running.
         */
        @Override
        public void run() {
            if (state != RUNNING) {
                return;
            }
            try {
                statement.cancel();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, dev.breaker.internal.Messages::jdbcCancelFailed, e);
            }
        }

        /**
         * Ends the span in which the statement may be cancelled: removes the action and waits
         * for it if it runs, also if this thread is interrupted (its interrupt status is kept).
         */
        void end(Breaker.Registration registration) {
            if (state == ENDED) {
                return;
            }
            state = ENDED;
            boolean interrupted = false;
            for (;;) {
                registration.close(); // returns early if the thread is interrupted: then again
                if (!Thread.interrupted()) {
                    break;
                }
                interrupted = true;
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
