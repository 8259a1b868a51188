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

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract of {@link Jdbc#execute}: arguments, query timeouts, results and failures, and the
 * cancel action's life span. Statements are PostgreSQL's (a real server), except where a test
 * needs a statement whose {@code cancel()} throws or blocks (a proxy).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // a hang guard only
class JdbcContractTest {
    private static final Logger JDBC_LOG = Logger.getLogger("dev.breaker.jdbc"); // strong reference
    private static TestPostgres server;

    private Connection connection;

    @BeforeAll
    static void startServer() throws Exception {
        server = TestPostgres.start(JdbcContractTest.class);
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
    }

    @AfterEach
    void disconnect() throws SQLException {
        connection.close();
    }

    // ---- arguments

    @Test
    void nullArgumentsAreNamed() throws SQLException {
        try (Breaker breaker = Breaker.manual(); Statement st = connection.createStatement()) {
            SqlCall<Statement, Boolean> call = s -> s.execute("SELECT 1");
            assertEquals("breaker", assertThrows(NullPointerException.class, () -> Jdbc.execute(null, st, call)).getMessage());
            assertEquals("statement", assertThrows(NullPointerException.class,
                    () -> Jdbc.execute(breaker, (Statement) null, call)).getMessage());
            assertEquals("call", assertThrows(NullPointerException.class,
                    () -> Jdbc.execute(breaker, st, (SqlCall<Statement, Object>) null)).getMessage());
        }
    }

    @Test
    void aClosedStatementIsRefusedWithAClearMessage() throws SQLException {
        PreparedStatement ps = connection.prepareStatement("SELECT 1");
        ps.close();
        AtomicBoolean called = new AtomicBoolean();
        try (Breaker breaker = Breaker.byTimeout(Duration.ofSeconds(10))) {
            SQLException e = assertThrows(SQLException.class, () -> Jdbc.execute(breaker, ps, s -> {
                called.set(true);
                return s.executeQuery();
            }));
            assertEquals("Jdbc.execute: the statement is closed", e.getMessage());
            assertFalse(called.get());
        }
        // a tripped breaker is reported first: nothing would run either way
        Breaker tripped = Breaker.manual();
        tripped.close();
        assertThrows(BrokenException.class, () -> Jdbc.execute(tripped, ps, PreparedStatement::executeQuery));
    }

    // ---- results and failures

    @Test
    void readsNaturallyAndReturnsTheResult() throws SQLException {
        try (Breaker breaker = Breaker.byTimeout(Duration.ofSeconds(30));
             PreparedStatement ps = connection.prepareStatement("SELECT ?::int + 1")) {
            ps.setInt(1, 41);
            try (ResultSet rs = Jdbc.execute(breaker, ps, PreparedStatement::executeQuery)) {
                assertTrue(rs.next());
                assertEquals(42, rs.getInt(1));
            }
        }
    }

    @Test
    void aResultIsReturnedEvenIfTheBreakerTrippedDuringTheCall() throws SQLException {
        Breaker breaker = Breaker.manual();
        try (PreparedStatement ps = connection.prepareStatement("SELECT 7")) {
            int seven = Jdbc.execute(breaker, ps, s -> {
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    breaker.close(); // the work is done: its result stands
                    return rs.getInt(1);
                }
            });
            assertEquals(7, seven);
            assertTrue(breaker.isBroken());
        }
    }

    @Test
    void aFailureIsRethrownAsItIsWhileTheBreakerIsLive() throws SQLException {
        AtomicReference<SQLException> thrown = new AtomicReference<>();
        try (Breaker breaker = Breaker.manual(); Statement st = connection.createStatement()) {
            SQLException e = assertThrows(SQLException.class, () -> Jdbc.execute(breaker, st, s -> {
                try {
                    return s.executeQuery("SELEC 1");
                } catch (SQLException failure) {
                    thrown.set(failure);
                    throw failure;
                }
            }));
            assertSame(thrown.get(), e);
            assertEquals("42601", e.getSQLState(), "syntax_error");
        }
    }

    @Test
    void aFailureAfterATripBecomesABrokenExceptionWithTheFailureAsCause() throws SQLException {
        Breaker breaker = Breaker.manual();
        SQLException failure = new SQLException("failed after the trip");
        try (Statement st = connection.createStatement()) {
            BrokenException e = assertThrows(BrokenException.class, () -> Jdbc.execute(breaker, st, s -> {
                breaker.close();
                throw failure;
            }));
            assertSame(BreakReason.CLOSED, e.reason());
            assertSame(failure, e.getCause());

            IllegalStateException unchecked = new IllegalStateException("unchecked, after the trip");
            Breaker another = Breaker.manual();
            e = assertThrows(BrokenException.class, () -> Jdbc.execute(another, st, s -> {
                another.close();
                throw unchecked;
            }));
            assertSame(unchecked, e.getCause());

            // a BrokenException from the call (another breaker's) is not wrapped
            BrokenException inner = new BrokenException(BreakReason.timeout(Duration.ofSeconds(1)));
            Breaker third = Breaker.manual();
            assertSame(inner, assertThrows(BrokenException.class, () -> Jdbc.execute(third, st, s -> {
                third.close();
                throw inner;
            })));
        }
    }

    // ---- query timeouts

    @Test
    void aBreakerWithoutTimeLeftLeavesTheQueryTimeoutAlone() throws SQLException {
        try (Breaker breaker = Breaker.manual(); Statement st = connection.createStatement()) {
            assertTrue(breaker.remaining().isEmpty());
            for (int previous : new int[] {0, 7}) {
                st.setQueryTimeout(previous);
                assertEquals(previous, Jdbc.execute(breaker, st, Statement::getQueryTimeout));
                assertEquals(previous, st.getQueryTimeout());
            }
        }
    }

    /**
     * With {@code byTimeout(10 s)}: once the breaker knows its time left (Breaker.remaining()
     * of timed breakers), the timeout seen inside the call is 10 (just under 10 s left, rounded
     * up), never more than the statement's own; before that, the statement's own. Restored in
     * every case.
     */
    @Test
    void aTimeoutBreakerBoundsTheQueryTimeoutAndItIsRestored() throws SQLException {
        try (Statement st = connection.createStatement()) {
            for (int previous : new int[] {0, 30, 5}) {
                st.setQueryTimeout(previous);
                try (Breaker breaker = Breaker.byTimeout(Duration.ofSeconds(10))) {
                    boolean known = breaker.remaining().isPresent();
                    int inside = Jdbc.execute(breaker, st, Statement::getQueryTimeout);
                    if (!known) {
                        assertEquals(previous, inside, "no time left known: untouched");
                    } else if (previous == 5) {
                        assertEquals(5, inside, "the statement's shorter timeout is kept");
                    } else {
                        assertTrue(inside >= 1 && inside <= 10, "bounded by the time left: " + inside);
                    }
                    assertEquals(previous, st.getQueryTimeout(), "restored");
                }
            }
        }
    }

    /** The rounding, with a breaker whose time left is fixed (whatever timed breakers report). */
    @Test
    void theTimeLeftIsRoundedUpToWholeSecondsAtLeastOne() throws SQLException {
        try (Statement st = connection.createStatement()) {
            assertEquals(10, insideTimeout(st, 0, Duration.ofMillis(9_200)));
            assertEquals(3, insideTimeout(st, 0, Duration.ofSeconds(3)));
            assertEquals(4, insideTimeout(st, 0, Duration.ofSeconds(3).plusNanos(1)));
            assertEquals(1, insideTimeout(st, 0, Duration.ofMillis(1)));
            assertEquals(1, insideTimeout(st, 0, Duration.ZERO));
            assertEquals(10, insideTimeout(st, 30, Duration.ofMillis(9_200)), "the smaller one");
            assertEquals(2, insideTimeout(st, 2, Duration.ofMillis(9_200)), "the statement's own is smaller");
            assertEquals(10, insideTimeout(st, 10, Duration.ofMillis(9_200)), "equal: kept");
            assertEquals(Integer.MAX_VALUE, insideTimeout(st, 0, Duration.ofDays(365L * 1000)));
        }
        assertEquals(1, Jdbc.querySeconds(Duration.ofSeconds(-1)));
    }

    @Test
    void theQueryTimeoutIsRestoredAfterAFailureToo() throws SQLException {
        try (Statement st = connection.createStatement(); Breaker live = Breaker.manual()) {
            st.setQueryTimeout(30);
            Breaker breaker = new dev.breaker.RecordingBreaker(live, Duration.ofSeconds(3));
            assertThrows(SQLException.class, () -> Jdbc.execute(breaker, st, s -> {
                assertEquals(3, s.getQueryTimeout());
                return s.executeQuery("SELEC 1");
            }));
            assertEquals(30, st.getQueryTimeout());
        }
    }

    @Test
    void theQueryTimeoutEndsAStatementThatTheBreakerMissed() throws SQLException {
        // a breaker that says 1 s is left but never trips: the driver's timeout (1 s) still ends
        // the statement, and the caller sees the driver's failure (the breaker did not trip)
        try (Breaker live = Breaker.manual(); PreparedStatement ps = connection.prepareStatement("SELECT pg_sleep(30)")) {
            Breaker breaker = new dev.breaker.RecordingBreaker(live, Duration.ofMillis(500));
            long start = System.nanoTime();
            SQLException e = assertThrows(SQLException.class, () -> Jdbc.execute(breaker, ps, PreparedStatement::executeQuery));
            long took = System.nanoTime() - start;
            assertEquals("57014", e.getSQLState(), "query_canceled: " + e);
            assertTrue(took < TimeUnit.SECONDS.toNanos(20), "ended by the 1 s query timeout, not by pg_sleep(30)");
            assertEquals(0, ps.getQueryTimeout());
        }
    }

    // ---- the cancel action

    @Test
    void aCancelThatThrowsIsSwallowedAndTheOtherActionsRun() throws SQLException {
        FakeStatement fake = new FakeStatement(() -> {
            throw new SQLException("cancel failed on purpose");
        });
        Breaker breaker = Breaker.manual();
        AtomicInteger others = new AtomicInteger();
        breaker.onBreak(others::incrementAndGet);
        Level level = JDBC_LOG.getLevel();
        JDBC_LOG.setLevel(Level.OFF); // the WARNING is expected
        try {
            int result = Jdbc.execute(breaker, fake.statement(), s -> {
                breaker.close(); // runs the actions here, the cancel among them: close() must not throw
                return 1;
            });
            assertEquals(1, result);
        } finally {
            JDBC_LOG.setLevel(level);
        }
        assertEquals(1, fake.cancels.get(), "the cancel was tried");
        assertEquals(1, others.get(), "the breaker's other action ran");
        breaker.onBreak(others::incrementAndGet);
        assertEquals(2, others.get());
    }

    @Test
    void noCancelBeforeOrAfterTheCall() throws SQLException {
        FakeStatement fake = new FakeStatement(() -> { });
        Breaker breaker = Breaker.manual();
        int one = Jdbc.execute(breaker, fake.statement(), s -> 1);
        assertEquals(1, one);
        breaker.close(); // after the call: the action is gone
        assertEquals(0, fake.cancels.get());
        assertThrows(BrokenException.class, () -> Jdbc.execute(breaker, fake.statement(), s -> 1));
        assertEquals(0, fake.cancels.get());
    }

    /**
     * The call returns while the breaker's cancel still runs on another thread: execute returns
     * only once that cancel has finished, also when the calling thread is interrupted meanwhile
     * (which it then still is).
     */
    @Test
    void executeWaitsForARunningCancel() throws Exception {
        for (boolean interrupt : new boolean[] {false, true}) {
            CountDownLatch cancelEntered = new CountDownLatch(1);
            CountDownLatch releaseCancel = new CountDownLatch(1);
            AtomicBoolean cancelDone = new AtomicBoolean();
            FakeStatement fake = new FakeStatement(() -> {
                cancelEntered.countDown();
                awaitOrFail(releaseCancel);
                cancelDone.set(true);
            });
            Breaker breaker = Breaker.manual();
            Thread closer = new Thread(breaker::close, "closer");
            AtomicBoolean doneWhenReturned = new AtomicBoolean();
            AtomicBoolean interruptedWhenReturned = new AtomicBoolean();
            FutureTask<Integer> caller = new FutureTask<>(() -> {
                int r = Jdbc.execute(breaker, fake.statement(), s -> {
                    closer.start();
                    awaitOrFail(cancelEntered); // the cancel runs on the closer
                    if (interrupt) {
                        Thread.currentThread().interrupt();
                    }
                    return 5;
                });
                doneWhenReturned.set(cancelDone.get());
                interruptedWhenReturned.set(Thread.interrupted());
                return r;
            });
            Thread callerThread = new Thread(caller, "caller");
            callerThread.start();
            awaitOrFail(cancelEntered);
            // give a wrong implementation every chance to return early (no false failure: a
            // correct one cannot return before the release below)
            assertThrows(java.util.concurrent.TimeoutException.class, () -> caller.get(200, TimeUnit.MILLISECONDS));
            releaseCancel.countDown();
            int result = caller.get(30, TimeUnit.SECONDS);
            assertEquals(5, result, "returned normally");
            assertTrue(doneWhenReturned.get(), "execute returned only after the cancel had finished");
            assertEquals(interrupt, interruptedWhenReturned.get(), "the interrupt status is kept");
            closer.join(TimeUnit.SECONDS.toMillis(30));
        }
    }

    // ---- helpers

    private static int insideTimeout(Statement st, int previous, Duration left) throws SQLException {
        st.setQueryTimeout(previous);
        try (Breaker live = Breaker.manual()) {
            int inside = Jdbc.execute(new dev.breaker.RecordingBreaker(live, left), st, Statement::getQueryTimeout);
            assertEquals(previous, st.getQueryTimeout(), "restored");
            return inside;
        }
    }

    private static void awaitOrFail(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("latch not released within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** What a fake statement's cancel does. */
    interface CancelBehaviour {
        void cancel() throws SQLException;
    }

    /** A statement that only counts and runs its cancels; open, no query timeout. */
    static final class FakeStatement {
        final AtomicInteger cancels = new AtomicInteger();
        private final Statement statement;

        FakeStatement(CancelBehaviour onCancel) {
            statement = (Statement) Proxy.newProxyInstance(Statement.class.getClassLoader(),
                    new Class<?>[] {Statement.class}, (proxy, method, args) -> {
                        switch (method.getName()) {
                            case "isClosed":
                                return false;
                            case "getQueryTimeout":
                                return 0;
                            case "cancel":
                                cancels.incrementAndGet();
                                onCancel.cancel();
                                return null;
                            default:
                                throw new UnsupportedOperationException(method.getName());
                        }
                    });
        }

        Statement statement() {
            return statement;
        }
    }

}
