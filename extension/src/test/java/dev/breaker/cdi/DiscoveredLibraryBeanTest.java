package dev.breaker.cdi;

import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * BRKR015: a library bean class that the container's discovery also found (here listed in Weld
 * SE's bean classes, as an application that shades the library would) is vetoed, said once at
 * DEBUG, and the library's own registration stays the one bean.
 */
class DiscoveredLibraryBeanTest {

    @Test
    void aDiscoveredCopyOfALibraryBeanIsVetoedAndSaidOnce() {
        List<String> messages = new CopyOnWriteArrayList<>();
        try (LogCapture capture = new LogCapture(messages);
             WeldContainer container = Containers.weld(BreakerFactory.class).initialize()) {
            assertTrue(container.select(BreakerFactory.class).isResolvable(), "one BreakerFactory bean");
        }
        String expected = "BRKR015: " + BreakerFactory.class.getName();
        assertTrue(messages.stream().filter(m -> m.startsWith(expected)).count() == 1,
                "one BRKR015 line for " + BreakerFactory.class.getName() + ": " + messages);
    }
}
