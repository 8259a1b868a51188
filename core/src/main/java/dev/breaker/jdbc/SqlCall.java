package dev.breaker.jdbc;

import java.sql.SQLException;
import java.sql.Statement;

/**
 * One use of a JDBC statement, the work that {@link Jdbc#execute} bounds by a breaker: usually
 * a method reference such as {@code PreparedStatement::executeQuery} or
 * {@code PreparedStatement::executeUpdate}, or a lambda that executes the statement and reads
 * its results.
 *
 * <h2>Thread safety</h2>
 * {@link Jdbc#execute} calls it once, on the thread that called {@code execute}; while it runs,
 * another thread may call {@link Statement#cancel()} on the same statement (the breaker's
 * action), which JDBC drivers support. An implementation needs no synchronisation of its own.
 *
 * @param <S> the kind of statement
 * @param <T> what the call returns
 */
@FunctionalInterface
public interface SqlCall<S extends Statement, T> {

    /**
     * Executes {@code statement} and returns what the execution gives.
     *
     * @param statement the statement given to {@link Jdbc#execute}
     * @return the result, such as a {@link java.sql.ResultSet} or an update count
     * @throws SQLException what the driver throws
     */
    T call(S statement) throws SQLException;
}
