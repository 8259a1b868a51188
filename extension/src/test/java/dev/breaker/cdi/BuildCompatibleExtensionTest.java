package dev.breaker.cdi;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.inject.Inject;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.jboss.weld.junit5.WeldInitiator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CDI Lite path, run on Weld through {@link ForcedBuildExtension} and without the portable
 * extension: same ordering, same messages, and the {@code @Named} that keeps un-injected workers
 * alive in ArC.
 */
class BuildCompatibleExtensionTest {

    static Weld liteOnly(Class<?>... beans) {
        return WeldInitiator.createWeld().addBeanClasses(beans).addBuildCompatibleExtensions(ForcedBuildExtension.class);
    }

    @Dependent
    static class Holder {
        @Inject
        @BreakerConfig("lite")
        Breaker lite;
    }

    @BeforeEach
    void clear() {
        Recorder.LOG.clear();
    }

    @Test
    void diamondStartsAndStopsInOrder() {
        Set<Bean<?>> named;
        try (TestConfig config = TestConfig.of();
             WeldContainer container = liteOnly(DiamondTest.Bottom.class, DiamondTest.Left.class,
                     DiamondTest.Right.class, DiamondTest.Top.class).initialize()) {
            assertEquals(4, Recorder.LOG.size(), Recorder.LOG::toString);
            named = container.getBeanManager().getBeans("top");
            assertEquals(1, named.size(), "the un-injected worker got @Named(\"top\")");
        }
        Recorder.assertEdge("top", "left");
        Recorder.assertEdge("top", "right");
        Recorder.assertEdge("left", "bottom");
        Recorder.assertEdge("right", "bottom");
    }

    @Test
    void configuredBreakerAndConfigValidationAtStart() throws Exception {
        try (TestConfig config = TestConfig.of("breaker.lite.timeout", "50ms");
             WeldContainer container = liteOnly(Holder.class).initialize()) {
            Breaker breaker = container.select(Holder.class).get().lite;
            assertTrue(breaker.await(Duration.ofSeconds(10)));
            assertEquals(BreakReason.Kind.TIMEOUT, breaker.reason().orElseThrow().root().kind());
        }
        Weld weld = liteOnly(Holder.class);
        try (TestConfig config = TestConfig.of("breaker.lite.timeout", "fast")) {
            String messages = Containers.messages(assertThrows(Exception.class, weld::initialize));
            DeploymentErrorsTest.assertContains(messages, "BRKR010: invalid Breaker configuration:\n"
                    + "  BRKR004: invalid value 'fast' for breaker.lite.timeout: expected a non-negative duration");
        } finally {
            weld.shutdown();
        }
    }

    @Test
    void reportsStructureProblemsWithTheSameMessages() {
        String p = DeploymentErrorsTest.class.getName() + "$";
        try (TestConfig config = TestConfig.of()) {
            String messages = Containers.messages(assertThrows(Exception.class,
                    liteOnly(DeploymentErrorsTest.X.class, DeploymentErrorsTest.Y.class, DeploymentErrorsTest.Z.class,
                            DeploymentErrorsTest.Helper.class, DeploymentErrorsTest.NeedsHelper.class,
                            DeploymentErrorsTest.Scoped.class, DeploymentErrorsTest.Handler.class)::initialize));
            DeploymentErrorsTest.assertContains(messages, "BRKR001: dependency cycle among workers: 'x' (" + p
                    + "X) -> 'y' (" + p + "Y) -> 'z' (" + p + "Z) -> 'x' (" + p + "X)");
            DeploymentErrorsTest.assertContains(messages, "BRKR002: worker 'needs-helper' (" + p
                    + "NeedsHelper) has @DependsOn(" + p + "Helper.class), which is not a @Worker bean");
            DeploymentErrorsTest.assertContains(messages, "BRKR003: worker 'scoped' (" + p + "Scoped) has scope"
                    + " @jakarta.enterprise.context.RequestScoped; a @Worker must be @ApplicationScoped");
            DeploymentErrorsTest.assertContains(messages, "BRKR005: @BreakerConfig(\"Bad_Name\") on " + p
                    + "Handler.malformed: a breaker name must match [a-z0-9][a-z0-9-]*");
            DeploymentErrorsTest.assertContains(messages, "BRKR006: @BreakerConfig(\"shutdown\") on " + p
                    + "Handler.<init>(reserved): the names default, worker and shutdown are reserved");
        }
    }
}
