package dev.breaker.context;

import dev.breaker.Breaker;
import dev.breaker.CurrentBreaker;
import dev.breaker.internal.Current;
import org.eclipse.microprofile.context.spi.ThreadContextController;
import org.eclipse.microprofile.context.spi.ThreadContextProvider;
import org.eclipse.microprofile.context.spi.ThreadContextSnapshot;

import java.util.Map;

/**
 * Carries {@link CurrentBreaker} with MicroProfile Context Propagation: a task given to a
 * {@code ManagedExecutor}, a {@code ThreadContext}-wrapped task, and on Quarkus a Mutiny or
 * {@code CompletableFuture} stage that propagates context, finds the breaker that was current
 * where it was created. Registered by the service loader (context type {@value #TYPE}); the
 * runtimes propagate every type by default. Cleared (the type listed as cleared), a task finds no
 * breaker. The task thread's own binding is restored when the task ends.
 *
 * <p>Thread-safe and stateless; a snapshot holds one breaker.
 */
public final class BreakerContextProvider implements ThreadContextProvider {
    /** The context type, for {@code propagated} and {@code cleared} lists. */
    public static final String TYPE = "Breaker";

    /** The provider, as the service loader makes it. */
    public BreakerContextProvider() {
    }

    @Override
    public ThreadContextSnapshot currentContext(Map<String, String> props) {
        Breaker captured = CurrentBreaker.get().orElse(Current.NONE);
        return () -> begin(captured);
    }

    @Override
    public ThreadContextSnapshot clearedContext(Map<String, String> props) {
        return () -> begin(Current.NONE);
    }

    private static ThreadContextController begin(Breaker breaker) {
        Thread thread = Thread.currentThread();
        Breaker previous = Current.swap(breaker);
        return () -> {
            if (Thread.currentThread() != thread) {
                throw new IllegalStateException("BRKR022: the Breaker context of a task was ended on thread '"
                        + Thread.currentThread().getName() + "', not on '" + thread.getName() + "' where it began");
            }
            Current.swap(previous);
        };
    }

    @Override
    public String getThreadContextType() {
        return TYPE;
    }
}
