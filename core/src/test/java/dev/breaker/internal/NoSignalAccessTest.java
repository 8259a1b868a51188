package dev.breaker.internal;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where {@code sun.misc.Signal} is not visible to the library's class loader (WildFly's
 * deployment modules do not see {@code jdk.unsupported} unless they ask), the library must not
 * throw {@link NoClassDefFoundError} at its callers: arming the second signal quietly does
 * nothing (it ran in WildFly's shutdown and, thrown, made the container stop the workers in its
 * own order), and a signal breaker fails with a coded, explained exception.
 *
 * <p>The library's classes are loaded again by a loader that hides {@code sun.misc}.
 */
class NoSignalAccessTest {

    /** The library loaded again, with sun.misc refused (as in a WildFly deployment). */
    private static ClassLoader noSunMisc() {
        return new dev.breaker.HidingClassLoader(NoSignalAccessTest.class.getClassLoader(), "dev.breaker.",
                name -> name.startsWith("sun.misc."));
    }

    @Test
    void armingTheSecondSignalReturnsFalseInsteadOfThrowing() throws Exception {
        Class<?> secondSignal = noSunMisc().loadClass(SecondSignal.class.getName());
        Method arm = secondSignal.getMethod("arm", Supplier.class);
        Supplier<String> unfinished = () -> "nothing";
        try (dev.breaker.LogCapture log = new dev.breaker.LogCapture("dev.breaker")) {
            Object armed = arm.invoke(null, unfinished);
            assertEquals(Boolean.FALSE, armed, "no handler can be installed without sun.misc");
            dev.breaker.LogCapture.Line line = log.only("BRKR155");
            assertEquals(java.util.logging.Level.FINE, line.level());
            assertTrue(line.message().startsWith("BRKR155: Breaker: no second-signal handler (sun.misc.Signal is not"
                    + " visible here): java.lang.NoClassDefFoundError: sun/misc/"), line.message());
        }
    }

    @Test
    void aSignalBreakerFailsWithACodedUnsupportedOperation() throws Exception {
        Class<?> breakers = noSunMisc().loadClass(Breakers.class.getName());
        Method bySignal = breakers.getMethod("bySignal", String[].class);
        InvocationTargetException e = assertThrows(InvocationTargetException.class,
                () -> bySignal.invoke(null, (Object) new String[]{"TERM"}));
        UnsupportedOperationException u = assertInstanceOf(UnsupportedOperationException.class, e.getCause(),
                "not a NoClassDefFoundError: " + e.getCause());
        assertTrue(u.getMessage().startsWith("BRKR020: "), u.getMessage());
        assertTrue(u.getMessage().contains("jdk.unsupported"), u.getMessage());
    }
}
