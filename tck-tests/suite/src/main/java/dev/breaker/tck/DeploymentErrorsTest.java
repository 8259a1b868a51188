package dev.breaker.tck;

import dev.breaker.Breaker;
import dev.breaker.cdi.BreakerConfig;
import dev.breaker.cdi.DependsOn;
import dev.breaker.cdi.Worker;
import dev.breaker.tck.harness.DisabledOn;
import dev.breaker.tck.harness.Recorder;
import dev.breaker.tck.harness.Tck;
import dev.breaker.tck.harness.TckTest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every deployment problem fails the deployment with its exact, coded message naming the beans
 * (and key and value for configuration), and all problems are reported at once. No worker
 * starts when the deployment is invalid.
 */
public class DeploymentErrorsTest extends TckTest {
    private static final String P = DeploymentErrorsTest.class.getName() + "$";
    private static final String DURATION = "expected a non-negative duration such as 2s, 150ms, 1m, 1h or PT2S";
    private static final String POSITIVE = "expected a positive duration such as 2s, 150ms, 1m, 1h or PT2S";

    @Worker
    @DependsOn(Y.class)
    public static class X {
    }

    @Worker
    @DependsOn(Z.class)
    public static class Y {
    }

    @Worker
    public static class Z {
        @Inject
        X x; // an injection closes the cycle
    }

    @ApplicationScoped
    public static class Helper {
    }

    @Worker
    @DependsOn(Helper.class)
    public static class NeedsHelper {
    }

    @Worker
    public static class NotDeployed {
    }

    @Worker
    @DependsOn(NotDeployed.class)
    public static class NeedsMissing {
    }

    @Worker
    @RequestScoped
    public static class RequestWorker {
    }

    @Worker
    @Dependent
    public static class DependentWorker {
    }

    /** Two workers whose simple class names, hence worker names, are the same. */
    public static final class First {
        @Worker
        public static class Store {
        }
    }

    public static final class Second {
        @Worker
        public static class Store {
        }
    }

    @Worker
    public static class Plain {
        @jakarta.annotation.PostConstruct
        void start() {
            Recorder.record("start-begin", "Plain");
        }
    }

    @ApplicationScoped
    public static class BadNames {
        @Inject
        @BreakerConfig("Bad_Name")
        Breaker malformed;

        @Inject
        @BreakerConfig("default")
        Breaker reserved;
    }

    @Dependent
    public static class ReservedInConstructor {
        @Inject
        public ReservedInConstructor(@BreakerConfig("worker") Breaker breaker) {
        }
    }

    @Test
    public void cycleNamesTheWholePath() {
        Tck.deployFailing(X.class, Y.class, Z.class)
                .reports("BRKR001: dependency cycle among workers: 'x' (" + P + "X) -> 'y' (" + P + "Y) -> 'z' ("
                        + P + "Z) -> 'x' (" + P + "X)");
    }

    @Test
    public void dependsOnABeanThatIsNotAWorker() {
        Tck.deployFailing(NeedsHelper.class, Helper.class)
                .reports("BRKR002: worker 'needs-helper' (" + P + "NeedsHelper) has @DependsOn(" + P
                        + "Helper.class), which is not a @Worker bean");
    }

    @Test
    public void dependsOnAWorkerThatIsNotDeployed() {
        Tck.deployFailing(NeedsMissing.class)
                .reports("BRKR002: worker 'needs-missing' (" + P + "NeedsMissing) has @DependsOn(" + P
                        + "NotDeployed.class), which is not a @Worker bean");
    }

    @Test
    public void workerWithAnotherScope() {
        Tck.deployFailing(RequestWorker.class, DependentWorker.class)
                .reports("BRKR003: worker 'request-worker' (" + P + "RequestWorker) has scope"
                        + " @jakarta.enterprise.context.RequestScoped; a @Worker must be @ApplicationScoped")
                .reports("BRKR003: worker 'dependent-worker' (" + P + "DependentWorker) has scope"
                        + " @jakarta.enterprise.context.Dependent; a @Worker must be @ApplicationScoped");
    }

    @Test
    @DisabledOn(value = "weld-bce", reason = "Weld validates bean names before any build compatible extension's"
            + " @Validation and stops at WELD-001414 (ambiguous name): the CDI Lite path adds @Named(worker name)"
            + " to keep workers in ArC, so two workers with one name are refused by Weld itself, without BRKR007")
    public void twoWorkersWithOneName() {
        // (two @Named workers with one name are refused by the container itself: ambiguous bean name)
        Tck.deployFailing(Second.Store.class, First.Store.class)
                .reports("BRKR007: workers 'store' (" + P + "First$Store) and 'store' (" + P
                        + "Second$Store) have the same name");
    }

    @Test
    public void malformedAndReservedBreakerNames() {
        Tck.deployFailing(BadNames.class, ReservedInConstructor.class)
                .reports("BRKR005: @BreakerConfig(\"Bad_Name\") on " + P
                        + "BadNames.malformed: a breaker name must match [a-z0-9][a-z0-9-]*")
                .reports("BRKR006: @BreakerConfig(\"default\") on " + P
                        + "BadNames.reserved: the names default, worker and shutdown are reserved")
                .reports("BRKR006: @BreakerConfig(\"worker\") on " + P
                        + "ReservedInConstructor.<init>(breaker): the names default, worker and shutdown are reserved");
    }

    @Test
    public void invalidConfigurationValuesNameKeyAndValue() {
        Tck.deployFailing(Tck.config(
                        "breaker.worker.plain.stop-timeout", "soon",
                        "breaker.worker.plain.on-error", "explode",
                        "breaker.fast.timeout", "-2s",
                        "breaker.shutdown.timeout", "PT-1S"),
                        Plain.class)
                .reports("BRKR004: invalid value 'soon' for breaker.worker.plain.stop-timeout: " + POSITIVE)
                .reports("BRKR004: invalid value 'explode' for breaker.worker.plain.on-error:"
                        + " expected nothing, restart or shutdown")
                .reports("BRKR004: invalid value '-2s' for breaker.fast.timeout: " + DURATION)
                .reports("BRKR004: invalid value 'PT-1S' for breaker.shutdown.timeout: " + POSITIVE);
        assertTrue(Recorder.who("start-begin").isEmpty(), "no worker may start in an invalid deployment");
    }

    /**
     * Issue 10 item 6: {@code 110000d} was accepted and then broke every shutdown;
     * {@code 999999999999999999d} overflowed while parsing and ended the deployment with a raw
     * ArithmeticException. Durations longer than 36500d are BRKR004 problems, reported with the rest.
     */
    @Test
    public void hugeAndOverflowingDurationsAreRejectedNamingKeyAndValue() {
        String atMost = ": expected at most 36500d (about 100 years)";
        Tck.deployFailing(Tck.config(
                        "breaker.shutdown.timeout", "110000d",
                        "breaker.worker.plain.stop-timeout", "999999999999999999d",
                        "breaker.worker.plain.restart-window", "PT9999999999999999H",
                        "breaker.fast.timeout", "36501d",
                        "breaker.worker.plain.on-error", "explode"),
                        Plain.class)
                .reports("BRKR004: invalid value '110000d' for breaker.shutdown.timeout" + atMost)
                .reports("BRKR004: invalid value '999999999999999999d' for breaker.worker.plain.stop-timeout" + atMost)
                .reports("BRKR004: invalid value 'PT9999999999999999H' for breaker.worker.plain.restart-window" + atMost)
                .reports("BRKR004: invalid value '36501d' for breaker.fast.timeout" + atMost)
                .reports("BRKR004: invalid value 'explode' for breaker.worker.plain.on-error")
                .doesNotReport("ArithmeticException");
        assertTrue(Recorder.who("start-begin").isEmpty(), "no worker may start in an invalid deployment");
    }

    @Test
    public void everyProblemIsReportedAtOnce() {
        Tck.deployFailing(X.class, Y.class, Z.class, NeedsHelper.class, Helper.class, RequestWorker.class,
                        BadNames.class, Plain.class)
                .reports("BRKR001: ")
                .reports("BRKR002: ")
                .reports("BRKR003: ")
                .reports("BRKR005: ")
                .reports("BRKR006: ");
        assertTrue(Recorder.who("start-begin").isEmpty(), "no worker may start in an invalid deployment");
    }
}
