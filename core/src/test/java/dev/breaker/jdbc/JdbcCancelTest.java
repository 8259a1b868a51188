package dev.breaker.jdbc;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;
import dev.breaker.BrokenException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Jdbc#execute} against a real PostgreSQL: a running statement is cancelled on the server
 * when its breaker trips, the caller gets the breaker's reason, and the connection stays usable;
 * no cancel ever outlives its call.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang guard only: the bounds are asserted below
class JdbcCancelTest {
    /** PostgreSQL's SQLSTATE query_canceled: the statement was cancelled on the server. */
    private static final String QUERY_CANCELED = "57014";
    private static final long RETURN_BOUND_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long IDLE_BOUND_NANOS = TimeUnit.SECONDS.toNanos(2);

    private static TestPostgres server;

    private Connection connection;
    private Connection observer;
    private int pid;

    @BeforeAll
    static void startServer() throws Exception {
        server = TestPostgres.start(JdbcCancelTest.class);
        try (Connection c = server.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE hits (n int)");
        }
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void connect() throws SQLException {
        connection = server.connect();
        observer = server.connect();
        pid = TestPostgres.backendPid(connection);
    }

    @AfterEach
    void disconnect() throws SQLException {
        try {
            connection.close();
        } finally {
            observer.close();
        }
    }

    @Test
    void aTimeoutCancelsTheRunningQueryAndTheConnectionStaysUsable() throws Exception {
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_sleep(30)")) {
            long start = System.nanoTime();
            Breaker breaker = Breaker.byTimeout(Duration.ofMillis(300));
            BrokenException e = assertThrows(BrokenException.class,
                    () -> Jdbc.execute(breaker, ps, PreparedStatement::executeQuery));
            long returned = System.nanoTime() - start;
            long idle = TestPostgres.awaitActivity(observer, pid, "idle", a -> "idle".equals(a.state()));
            report("byTimeout(300 ms) over pg_sleep(30)", "returned after", returned, "backend idle", idle);

            assertEquals(BreakReason.Kind.TIMEOUT, e.reason().kind());
            assertCancelledOnTheServer(e);
            assertTrue(returned < RETURN_BOUND_NANOS, "returned after " + ms(returned) + ", bound 5 s");
            assertTrue(idle <= IDLE_BOUND_NANOS, "backend idle " + ms(idle) + " after the return, bound 2 s");
            assertEquals(0, ps.getQueryTimeout(), "the statement's own query timeout is restored");
        }
        assertSelectOneWorks();
    }

    @Test
    void aManualBreakerClosedFromAnotherThreadCancelsTheRunningQuery() throws Exception {
        Breaker breaker = Breaker.manual();
        AtomicLong closedAt = new AtomicLong();
        FutureTask<Long> closer = new FutureTask<>(() -> {
            try {
                // the query has reached the server and runs: that, not a delay, is the signal
                return TestPostgres.awaitActivity(observer, pid, "running pg_sleep",
                        a -> "active".equals(a.state()) && a.query().contains("pg_sleep"));
            } finally {
                closedAt.set(System.nanoTime());
                breaker.close(); // also if the poll failed, so that the test does not wait 30 s
            }
        });
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_sleep(30)")) {
            ps.setQueryTimeout(60);
            long start = System.nanoTime();
            new Thread(closer, "closer").start();
            BrokenException e = assertThrows(BrokenException.class,
                    () -> Jdbc.execute(breaker, ps, PreparedStatement::executeQuery));
            long returned = System.nanoTime() - closedAt.get();
            long sawActive = closer.get(30, TimeUnit.SECONDS); // rethrows the poll's failure
            long idle = TestPostgres.awaitActivity(observer, pid, "idle", a -> "idle".equals(a.state()));
            report("manual close() over pg_sleep(30)", "seen active after", sawActive,
                    "returned after close()", returned, "backend idle", idle);

            assertSame(BreakReason.CLOSED, e.reason());
            assertCancelledOnTheServer(e);
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(25), "not the end of pg_sleep(30)");
            assertTrue(returned < RETURN_BOUND_NANOS, "returned " + ms(returned) + " after close(), bound 5 s");
            assertTrue(idle <= IDLE_BOUND_NANOS, "backend idle " + ms(idle) + " after the return, bound 2 s");
            assertEquals(60, ps.getQueryTimeout(), "a manual breaker leaves the query timeout alone");
        }
        assertSelectOneWorks();
    }

    @Test
    void aBreakerTrippedBeforeTheCallKeepsTheStatementFromTheServer() throws Exception {
        Breaker closed = Breaker.manual();
        closed.close();
        Breaker expired = Breaker.byTimeout(Duration.ZERO);
        AtomicBoolean called = new AtomicBoolean();
        try (Statement clean = connection.createStatement();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO hits VALUES (1)")) {
            clean.execute("DELETE FROM hits");
            for (Breaker tripped : List.of(closed, expired)) {
                BrokenException e = assertThrows(BrokenException.class, () -> Jdbc.execute(tripped, insert, s -> {
                    called.set(true);
                    return s.executeUpdate();
                }));
                assertSame(tripped.reason().orElseThrow(), e.reason());
                assertNull(e.getCause(), "refused, not cancelled");
                assertEquals(0, insert.getQueryTimeout());
            }
            assertFalse(called.get(), "the call never ran");
            assertEquals(0, count(), "the INSERT never reached the server");

            // the control: the same INSERT under a live breaker does reach it
            try (Breaker live = Breaker.manual()) {
                int inserted = Jdbc.execute(live, insert, PreparedStatement::executeUpdate);
                assertEquals(1, inserted);
            }
            assertEquals(1, count());
        }
    }

    /**
     * 10,000 fast queries ({@code SELECT 1}) on one statement, each under its own breaker that a
     * second thread trips at a random moment: before the call (every tenth breaker, for sure),
     * while it runs, or just after it. No failure other than a BrokenException, and 100 plain
     * queries afterwards all succeed.
     *
     * <p>A stray cancel has to land while the statement runs again to do harm, and PostgreSQL's
     * driver ignores a cancel of a statement that is not executing; a cancel also takes a
     * millisecond or more to reach the server, longer than a {@code SELECT 1}. So every 50th
     * breaker is tripped late on purpose: after its call has returned, while the same statement
     * runs a plain {@code SELECT pg_sleep(0.02)}, which a cancel that outlived its call would
     * fail (checked: without the removal of the action, about 200 calls fail here).
     */
    @Test
    void noCancelOutlivesItsCall() throws Exception {
        final int calls = 10_000;
        Statement st = connection.createStatement();
        SqlCall<Statement, Integer> selectOne = s -> {
            try (ResultSet rs = s.executeQuery("SELECT 1")) {
                rs.next();
                return rs.getInt(1);
            }
        };
        long[] sample = new long[200]; // the time of one call, to spread the trips around it
        for (int i = 0; i < sample.length; i++) {
            long t = System.nanoTime();
            selectOne.call(st);
            sample[i] = System.nanoTime() - t;
        }
        Arrays.sort(sample);
        long spread = Math.max(2 * sample[sample.length / 2], TimeUnit.MICROSECONDS.toNanos(50));

        // the tripper takes each breaker as soon as it is handed over (it polls: no wake-up
        // latency), waits a random delay in [0, spread) and trips it; meanwhile this thread
        // calls. A late trip waits for the call to return, then 1 ms more.
        AtomicReference<Trip> handOver = new AtomicReference<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread tripper = new Thread(() -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (;;) {
                Trip trip;
                while ((trip = handOver.getAndSet(null)) == null) {
                    if (stop.get()) {
                        return;
                    }
                    Thread.yield();
                }
                long delay = random.nextLong(spread);
                if (trip.callReturned != null) {
                    while (!trip.callReturned.get() && !stop.get()) {
                        Thread.yield();
                    }
                    delay = TimeUnit.MILLISECONDS.toNanos(1);
                }
                long until = System.nanoTime() + delay;
                while (System.nanoTime() - until < 0) {
                    Thread.onSpinWait();
                }
                trip.breaker.close();
            }
        }, "tripper");
        tripper.setDaemon(true);
        tripper.start();

        int succeeded = 0;
        int succeededTripped = 0; // the breaker tripped while the call ran, or just after: the result stands
        int refused = 0; // BrokenException without a cause: tripped before the call
        int cancelled = 0; // BrokenException with the driver's failure as the cause
        int exposed = 0; // tripped late, during the slow plain statement that followed its call
        List<Throwable> others = new ArrayList<>();
        long start = System.nanoTime();
        try {
            for (int i = 0; i < calls; i++) {
                Breaker breaker = Breaker.manual();
                AtomicBoolean callReturned = i % 50 == 25 ? new AtomicBoolean() : null;
                while (!handOver.compareAndSet(null, new Trip(breaker, callReturned))) { // the previous one not taken yet
                    Thread.yield();
                }
                if (i % 10 == 0 && !breaker.await(Duration.ofSeconds(30))) {
                    throw new AssertionError("the tripper did not trip breaker " + i);
                }
                try {
                    int one;
                    try {
                        one = Jdbc.execute(breaker, st, selectOne);
                    } finally {
                        if (callReturned != null) {
                            callReturned.set(true);
                        }
                    }
                    assertEquals(1, one);
                    succeeded++;
                    if (callReturned != null) {
                        try (ResultSet rs = st.executeQuery("SELECT pg_sleep(0.02)")) {
                            rs.next();
                        }
                        if (breaker.isBroken()) {
                            exposed++;
                        }
                    } else if (breaker.isBroken()) {
                        succeededTripped++;
                    }
                } catch (BrokenException e) {
                    if (e.getCause() == null) {
                        refused++;
                    } else {
                        cancelled++;
                        if (!(e.getCause() instanceof SQLException)) {
                            others.add(e);
                        }
                    }
                } catch (SQLException | RuntimeException e) {
                    others.add(new AssertionError("call " + i + " failed", e));
                }
            }
        } finally {
            stop.set(true); // also if an assertion failed: the tripper must not spin on
            tripper.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertFalse(tripper.isAlive(), "tripper ended");
        long elapsed = System.nanoTime() - start;

        int followUps = 0;
        for (int i = 0; i < 100; i++) {
            if (i % 2 == 0) {
                assertEquals(1, selectOne.call(st), "follow-up " + i + " on the same statement");
            } else {
                try (Statement other = connection.createStatement(); ResultSet rs = other.executeQuery("SELECT 1")) {
                    assertTrue(rs.next(), "follow-up " + i + " on a new statement");
                }
            }
            followUps++;
        }
        st.close();
        System.out.printf("[JdbcCancelTest] %d guarded SELECT 1 in %d ms (trips spread over %d us): %d returned"
                        + " (%d with the breaker tripped meanwhile), %d refused before the call, %d cancelled during it,"
                        + " %d tripped late during the next (slow) statement; %d other failures; %d follow-up queries succeeded%n",
                calls, TimeUnit.NANOSECONDS.toMillis(elapsed), TimeUnit.NANOSECONDS.toMicros(spread), succeeded,
                succeededTripped, refused, cancelled, exposed, others.size(), followUps);

        if (!others.isEmpty()) {
            AssertionError failure = new AssertionError(others.size() + " calls failed with something other than a"
                    + " BrokenException; the first ones are suppressed here");
            others.stream().limit(5).forEach(failure::addSuppressed);
            throw failure;
        }
        assertEquals(calls, succeeded + refused + cancelled);
        assertTrue(refused >= calls / 10, "every tenth breaker was tripped before its call: " + refused);
        assertTrue(succeeded > 0, "some calls returned");
        assertTrue(succeededTripped + cancelled > 0, "some trips landed while a call ran");
        assertTrue(exposed >= calls / 100, "most late trips landed during the next statement: " + exposed);
        assertEquals(100, followUps);
    }

    /** A breaker for the tripper; {@code callReturned} is set for a late trip, else null. */
    private record Trip(Breaker breaker, AtomicBoolean callReturned) {
    }

    private static void assertCancelledOnTheServer(BrokenException e) {
        SQLException cause = assertInstanceOf(SQLException.class, e.getCause(), "the driver's failure is the cause");
        assertEquals(QUERY_CANCELED, cause.getSQLState(), "cancelled on the server: " + cause);
    }

    private void assertSelectOneWorks() throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT 1")) {
            assertTrue(rs.next());
            assertEquals(1, rs.getInt(1), "the same connection runs the next statement");
        }
        assertEquals(pid, TestPostgres.backendPid(connection), "still the same backend");
    }

    private int count() throws SQLException {
        try (Statement st = observer.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM hits")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void report(String what, Object... labelsAndNanos) {
        StringBuilder line = new StringBuilder("[JdbcCancelTest] ").append(what).append(':');
        for (int i = 0; i < labelsAndNanos.length; i += 2) {
            line.append(i == 0 ? " " : ", ").append(labelsAndNanos[i]).append(' ').append(ms((Long) labelsAndNanos[i + 1]));
        }
        System.out.println(line);
    }

    private static String ms(long nanos) {
        return String.format("%.1f ms", nanos / 1e6);
    }
}
