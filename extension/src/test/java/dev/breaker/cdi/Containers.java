package dev.breaker.cdi;

import io.smallrye.config.inject.ConfigExtension;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.junit5.WeldInitiator;

import java.util.ArrayList;
import java.util.List;

/** Weld SE set up as the README tells users: discovery off, so the extensions are added by hand. */
final class Containers {
    private Containers() {
    }

    static Weld weld(Class<?>... beans) {
        return WeldInitiator.createWeld().addBeanClasses(beans)
                .addExtensions(new BreakerExtension(), new ConfigExtension());
    }

    /** The messages of a throwable and all its causes and suppressed exceptions, joined. */
    static String messages(Throwable t) {
        List<String> out = new ArrayList<>();
        collect(t, out, 0);
        return String.join("\n", out);
    }

    private static void collect(Throwable t, List<String> out, int depth) {
        if (t == null || depth > 20) {
            return;
        }
        out.add(String.valueOf(t.getMessage()));
        for (Throwable s : t.getSuppressed()) {
            collect(s, out, depth + 1);
        }
        collect(t.getCause(), out, depth + 1);
    }
}
