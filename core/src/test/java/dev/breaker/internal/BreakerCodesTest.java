package dev.breaker.internal;

import dev.breaker.Breaker;
import dev.breaker.LogCapture;
import dev.breaker.LogCapture.Line;
import dev.breaker.jdbc.Jdbc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The codes of the breakers' internals (BRKR150…, the catalogue {@code internal.Messages}), each
 * condition made to happen and its line asserted. BRKR154 is asserted by BreakerFactoriesTest,
 * BRKR155 by NoSignalAccessTest.
 */
@Timeout(60)
class BreakerCodesTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aCallbackThatThrows() throws Exception {
        try (LogCapture log = new LogCapture("dev.breaker")) {
            IllegalStateException bug = new IllegalStateException("a callback's bug");
            Callbacks.INSTANCE.execute(() -> {
                throw bug;
            }, false);
            Line line = log.await("BRKR150", WAIT);
            assertEquals(Level.WARNING, line.level());
            assertEquals("BRKR150: Breaker: a callback failed (ignored)", line.message());
            assertSame(bug, line.thrown());
        }
    }

    @Test
    void anOnBreakActionThatThrows() throws Exception {
        try (LogCapture log = new LogCapture("dev.breaker"); Breaker b = Breaker.manual()) {
            IllegalStateException bug = new IllegalStateException("an action's bug");
            AtomicInteger others = new AtomicInteger();
            b.onBreak(() -> {
                throw bug;
            });
            b.onBreak(others::incrementAndGet);
            b.close();
            Line line = log.await("BRKR151", WAIT);
            assertEquals(Level.WARNING, line.level());
            assertEquals("BRKR151: Breaker: failure while running an onBreak action (ignored)", line.message());
            assertSame(bug, line.thrown());
            assertEquals(1, others.get(), "the other action ran");
        }
    }

    /**
     * A breaker tripped by SIGWINCH (raised in this JVM; by default the OS ignores it, so no
     * previous handler runs after ours) whose action blocks: the handler waits for it only
     * {@link Signals#ACTIONS_BOUND_MILLIS}, then says so.
     */
    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "no SIGWINCH")
    void signalActionsThatOverrunTheirBound() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (LogCapture log = new LogCapture("dev.breaker")) {
            Breaker b = Breaker.bySignal("WINCH");
            try {
                b.onBreak(() -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                Signal.raise(new Signal("WINCH"));
                Line line = log.await("BRKR153", WAIT);
                assertEquals(Level.WARNING, line.level());
                assertEquals("BRKR153: Breaker: the actions of a breaker tripped by SIGWINCH did not end within "
                        + Signals.ACTIONS_BOUND_MILLIS + " ms; the signal goes on without them", line.message());
                assertTrue(b.isBroken());
            } finally {
                release.countDown(); // before close(), which waits for a running action
                b.close();
            }
        }
    }

    /**
     * Arming the second signal says so once. The JVM's own handlers of INT and TERM are put back
     * afterwards: a signal to this test JVM must not halt it later. They are read by swapping in a
     * handler that does nothing, never {@code SIG_IGN}: the JVM refuses to install its handler of
     * TERM or INT over an ignored signal, and child processes inherit an ignored signal.
     */
    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "POSIX signals")
    void armingTheSecondSignal() {
        Signal intSignal = new Signal("INT");
        Signal termSignal = new Signal("TERM");
        SignalHandler nothing = sig -> { };
        SignalHandler jvmInt = Signal.handle(intSignal, nothing);
        SignalHandler jvmTerm = Signal.handle(termSignal, nothing);
        try (LogCapture log = new LogCapture("dev.breaker")) {
            assertTrue(SecondSignal.arm(() -> "nothing"));
            assertTrue(SecondSignal.arm(() -> "nothing"), "idempotent");
            Line line = log.only("BRKR156");
            assertEquals(Level.INFO, line.level());
            assertEquals("BRKR156: Breaker: shutdown under way; a second SIGINT or SIGTERM halts the process",
                    line.message());
        } finally {
            Signal.handle(intSignal, jvmInt);
            Signal.handle(termSignal, jvmTerm);
        }
    }

    @Test
    void aJdbcCancelThatFails() throws SQLException {
        SQLException refused = new SQLException("cancel failed on purpose");
        Statement statement = (Statement) Proxy.newProxyInstance(Statement.class.getClassLoader(),
                new Class<?>[] {Statement.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "isClosed":
                            return false;
                        case "getQueryTimeout":
                            return 0;
                        case "cancel":
                            throw refused;
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
        try (LogCapture log = new LogCapture("dev.breaker.jdbc"); Breaker b = Breaker.manual()) {
            int result = Jdbc.<Statement, Integer>execute(b, statement, s -> {
                b.close(); // the cancel runs here, and fails
                return 1;
            });
            assertEquals(1, result);
            Line line = log.only("BRKR157");
            assertEquals(Level.WARNING, line.level());
            assertEquals("BRKR157: Breaker: cancelling a JDBC statement failed (the statement may run on)",
                    line.message());
            assertSame(refused, line.thrown());
        }
    }
}
