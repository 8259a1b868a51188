package dev.breaker.sample;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import org.jboss.logging.Logger;
import sun.misc.Signal;

/**
 * The entry point of {@code quarkus-run.jar}. A JVM stopped by SIGTERM (SIGINT, Ctrl-C) runs its
 * shutdown hooks (Quarkus' graceful shutdown among them) but then exits with 143 (130) whatever
 * happened, so a clean, complete shutdown looks like a failure to process supervisors and CI.
 * Here both signals ask Quarkus to exit with 0 instead: the application then stops exactly as on any normal exit (HTTP drains,
 * the Breaker extension stops the workers in reverse dependency order) and the process exits 0.
 */
@QuarkusMain
public class Main implements QuarkusApplication {
    private static final Logger LOG = Logger.getLogger(Main.class);

    public static void main(String... args) {
        Quarkus.run(Main.class, args);
    }

    @Override
    public int run(String... args) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    LOG.infof("SIG%s received: shutting down gracefully", name);
                    Quarkus.asyncExit(0);
                });
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // -Xrs, or a platform without the signal: keep the JVM's default behaviour
                LOG.warnf("cannot handle SIG%s (%s); it will exit with %d", name, e.getMessage(),
                        name.equals("TERM") ? 143 : 130);
            }
        }
        Quarkus.waitForExit();
        return 0;
    }
}
