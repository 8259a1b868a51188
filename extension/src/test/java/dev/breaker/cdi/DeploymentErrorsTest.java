package dev.breaker.cdi;

import dev.breaker.Breaker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import org.jboss.weld.environment.se.Weld;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every deployment problem is reported, all at once, with its code and the beans it concerns. */
class DeploymentErrorsTest {
    private static final String P = DeploymentErrorsTest.class.getName() + "$";

    @Worker
    @DependsOn(Y.class)
    static class X {
    }

    @Worker
    @DependsOn(Z.class)
    static class Y {
    }

    @Worker
    static class Z {
        @Inject
        X x; // implicit edge closes the cycle
    }

    @ApplicationScoped
    static class Helper {
    }

    @Worker
    @DependsOn(Helper.class)
    static class NeedsHelper {
    }

    @Worker
    @RequestScoped
    static class Scoped {
    }

    @Worker
    static class Twin {
    }

    /** Same simple name, so the same worker name, as {@link DeploymentErrorsTest.Twin}. */
    static class Elsewhere {
        @Worker
        static class Twin {
        }
    }

    @ApplicationScoped
    static class Handler {
        @Inject
        @BreakerConfig("Bad_Name")
        Breaker malformed;

        @Inject
        Handler(@BreakerConfig("shutdown") Breaker reserved) {
        }

        Handler() {
        }
    }

    @Test
    void reportsEveryProblemAtOnce() {
        Weld weld = Containers.weld(X.class, Y.class, Z.class, Helper.class, NeedsHelper.class, Scoped.class,
                Handler.class, Twin.class, Elsewhere.Twin.class);
        String messages;
        try (TestConfig config = TestConfig.of("breaker.worker.x.stop-timeout", "soon",
                "breaker.request.timeout", "-2s", "breaker.shutdown.timeout", "PT-1S",
                "breaker.worker.y.start-timeout", "0", "breaker.shutdown.readiness-delay", "-5s",
                "breaker.budget.margin", "a bit", "breaker.budget.enabled", "maybe", "breaker.budget.max", "0")) {
            messages = Containers.messages(assertThrows(Exception.class, weld::initialize));
        }
        assertContains(messages, "BRKR004: invalid value 'a bit' for breaker.budget.margin");
        assertContains(messages, "BRKR004: invalid value 'maybe' for breaker.budget.enabled: expected true or false");
        assertContains(messages, "BRKR004: invalid value '0' for breaker.budget.max: expected a positive duration");
        assertContains(messages, "BRKR001: dependency cycle among workers: 'x' (" + P + "X) -> 'y' (" + P
                + "Y) -> 'z' (" + P + "Z) -> 'x' (" + P + "X)");
        assertContains(messages, "BRKR002: worker 'needs-helper' (" + P + "NeedsHelper) has @DependsOn(" + P
                + "Helper.class), which is not a @Worker bean");
        assertContains(messages, "BRKR007: workers 'twin' (" + P + "Elsewhere$Twin) and 'twin' (" + P
                + "Twin) have the same name");
        assertContains(messages, "BRKR003: worker 'scoped' (" + P
                + "Scoped) has scope @jakarta.enterprise.context.RequestScoped; a @Worker must be @ApplicationScoped");
        assertContains(messages, "BRKR004: invalid value 'soon' for breaker.worker.x.stop-timeout: expected a"
                + " positive duration such as 2s, 150ms, 1m, 1h or PT2S");
        assertContains(messages, "BRKR004: invalid value '-2s' for breaker.request.timeout");
        assertContains(messages, "BRKR004: invalid value 'PT-1S' for breaker.shutdown.timeout");
        assertContains(messages, "BRKR004: invalid value '-5s' for breaker.shutdown.readiness-delay: expected a"
                + " non-negative duration such as 2s, 150ms, 1m, 1h or PT2S");
        assertContains(messages, "BRKR004: invalid value '0' for breaker.worker.y.start-timeout: expected a"
                + " positive duration");
        assertContains(messages, "BRKR005: @BreakerConfig(\"Bad_Name\") on " + P
                + "Handler.malformed: a breaker name must match [a-z0-9][a-z0-9-]*");
        assertContains(messages, "BRKR006: @BreakerConfig(\"shutdown\") on " + P
                + "Handler.<init>(reserved): the names default, worker and shutdown are reserved");
    }

    @Test
    void twoWorkersWithOneName() {
        try (TestConfig config = TestConfig.of()) {
            String messages = Containers.messages(assertThrows(Exception.class,
                    Containers.weld(Twin.class, Elsewhere.Twin.class)::initialize));
            assertContains(messages, "BRKR007: workers 'twin' (" + P + "Elsewhere$Twin) and 'twin' (" + P
                    + "Twin) have the same name");
        }
    }

    @Test
    void aCycleAloneFailsNamingTheCycle() {
        try (TestConfig config = TestConfig.of()) {
            String messages = Containers.messages(assertThrows(Exception.class,
                    Containers.weld(X.class, Y.class, Z.class)::initialize));
            assertContains(messages, "BRKR001: dependency cycle among workers: 'x' (" + P + "X) -> 'y' (" + P
                    + "Y) -> 'z' (" + P + "Z) -> 'x' (" + P + "X)");
        }
    }

    /**
     * Issue 10 item 6: {@code 999999999999999999d} overflowed while parsing and ended the
     * deployment with a raw ArithmeticException; {@code 110000d} was accepted and broke shutdown.
     * Both are BRKR004 problems now, reported together with a structure problem.
     */
    @Test
    void hugeAndOverflowingDurationsAreReportedWithTheOtherProblems() {
        String messages;
        try (TestConfig config = TestConfig.of("breaker.shutdown.timeout", "110000d",
                "breaker.worker.twin.stop-timeout", "999999999999999999d",
                "breaker.request.timeout", "PT9999999999999999H", "breaker.shutdown.readiness-delay", "36501d")) {
            messages = Containers.messages(assertThrows(Exception.class,
                    Containers.weld(X.class, Y.class, Z.class, Twin.class)::initialize));
        }
        String atMost = ": expected at most 36500d (about 100 years)";
        assertContains(messages, "BRKR004: invalid value '110000d' for breaker.shutdown.timeout" + atMost);
        assertContains(messages, "BRKR004: invalid value '999999999999999999d' for breaker.worker.twin.stop-timeout"
                + atMost);
        assertContains(messages, "BRKR004: invalid value 'PT9999999999999999H' for breaker.request.timeout" + atMost);
        assertContains(messages, "BRKR004: invalid value '36501d' for breaker.shutdown.readiness-delay" + atMost);
        assertContains(messages, "BRKR001: dependency cycle among workers");
        assertTrue(!messages.contains("ArithmeticException"), messages);
    }

    /** The largest accepted timeouts still let the application start and shut down. */
    @Test
    void theLargestAcceptedTimeoutsStillShutDown() {
        try (TestConfig config = TestConfig.of("breaker.shutdown.timeout", "36500d",
                "breaker.worker.twin.stop-timeout", "36500d", "breaker.worker.twin.start-timeout", "36500d",
                "breaker.request.timeout", "36500d");
             var container = Containers.weld(Twin.class).initialize()) {
            try (Breaker b = container.select(BreakerFactory.class).get().named("request")) {
                assertTrue(!b.isBroken());
            }
        }
    }

    static void assertContains(String messages, String expected) {
        assertTrue(messages.contains(expected), () -> "expected\n  " + expected + "\nin\n" + messages);
    }
}
