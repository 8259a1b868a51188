/**
 * JDBC statements bounded by a {@link dev.breaker.Breaker}: {@link dev.breaker.jdbc.Jdbc#execute}
 * cancels a running statement on the server when the breaker trips, and gives it a query timeout
 * no longer than the breaker's time left. Needs only the JDK's {@code java.sql} module; works
 * with any JDBC driver that implements {@link java.sql.Statement#cancel()}.
 */
package dev.breaker.jdbc;
