package dev.breaker.cdi.internal;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Payara's shutdown grace covers the readiness delay; nothing is touched elsewhere or when it already does. */
class PayaraShutdownGraceTest {
    private String instanceRoot;
    private String grace;

    @BeforeEach
    void save() {
        instanceRoot = System.getProperty(PayaraShutdownGrace.GLASSFISH);
        grace = System.getProperty(PayaraShutdownGrace.PROPERTY);
        System.clearProperty(PayaraShutdownGrace.GLASSFISH);
        System.clearProperty(PayaraShutdownGrace.PROPERTY);
    }

    @AfterEach
    void restore() {
        set(PayaraShutdownGrace.GLASSFISH, instanceRoot);
        set(PayaraShutdownGrace.PROPERTY, grace);
    }

    private static void set(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    @Test
    void notOnPayaraNothingIsSet() {
        assertFalse(PayaraShutdownGrace.coverReadinessDelay(Duration.ofSeconds(2)));
        assertNull(System.getProperty(PayaraShutdownGrace.PROPERTY));
    }

    @Test
    void onPayaraTheGraceIsRaisedToTheDelay() {
        System.setProperty(PayaraShutdownGrace.GLASSFISH, "/tmp/payara");
        assertTrue(PayaraShutdownGrace.coverReadinessDelay(Duration.ofMillis(2500)));
        assertEquals("2500", System.getProperty(PayaraShutdownGrace.PROPERTY));
        System.setProperty(PayaraShutdownGrace.PROPERTY, "500");
        assertTrue(PayaraShutdownGrace.coverReadinessDelay(Duration.ofSeconds(3)), "a shorter grace is raised");
        assertEquals("3000", System.getProperty(PayaraShutdownGrace.PROPERTY));
    }

    @Test
    void aLongerGraceOrNoDelayIsLeftAlone() {
        System.setProperty(PayaraShutdownGrace.GLASSFISH, "/tmp/payara");
        System.setProperty(PayaraShutdownGrace.PROPERTY, "10000");
        assertFalse(PayaraShutdownGrace.coverReadinessDelay(Duration.ofSeconds(2)));
        assertEquals("10000", System.getProperty(PayaraShutdownGrace.PROPERTY));
        System.clearProperty(PayaraShutdownGrace.PROPERTY);
        assertFalse(PayaraShutdownGrace.coverReadinessDelay(Duration.ZERO));
        assertNull(System.getProperty(PayaraShutdownGrace.PROPERTY));
    }
}
