package dev.breaker.context;

import dev.breaker.Breaker;
import dev.breaker.CurrentBreaker;
import dev.breaker.internal.Current;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.eclipse.microprofile.context.ThreadContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With SmallRye Context Propagation (a real implementation, found by the service loader). */
class BreakerContextProviderTest {

    @Test
    void aManagedExecutorTaskFindsTheSubmittersBreakerAndTheThreadKeepsNothing() throws Exception {
        ManagedExecutor executor = ManagedExecutor.builder().maxAsync(1)
                .propagated(ThreadContext.ALL_REMAINING).cleared().build();
        try (Breaker b = Breaker.byTimeout(Duration.ofSeconds(30))) {
            Optional<Breaker> seen = CurrentBreaker.call(b, () -> executor.supplyAsync(CurrentBreaker::get).get(30, TimeUnit.SECONDS));
            assertSame(b, seen.orElseThrow());
            assertEquals(Optional.empty(), executor.supplyAsync(CurrentBreaker::get).get(30, TimeUnit.SECONDS),
                    "submitted where no breaker is current: none; the pool thread kept nothing of the first task");
            // a dependent stage created under the breaker runs with it too
            CompletableFuture<Optional<Breaker>> stage = CurrentBreaker.call(b,
                    () -> executor.completedFuture("x").thenApplyAsync(x -> CurrentBreaker.get()));
            assertSame(b, stage.get(30, TimeUnit.SECONDS).orElseThrow());
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void clearedTheTaskFindsNoBreakerEvenWhereAFallbackHasOne() throws Exception {
        ThreadContext clearing = ThreadContext.builder().propagated().cleared(BreakerContextProvider.TYPE)
                .unchanged(ThreadContext.ALL_REMAINING).build();
        try (Breaker fallback = Breaker.manual(); Breaker bound = Breaker.manual()) {
            Runnable undo = Current.installFallback(() -> fallback);
            try {
                Supplier<Optional<Breaker>> task = CurrentBreaker.call(bound, () -> clearing.contextualSupplier(CurrentBreaker::get));
                assertEquals(Optional.empty(), task.get(), "cleared: neither the bound nor the fallback's");
                assertSame(fallback, CurrentBreaker.get().orElseThrow(), "restored after the task");
            } finally {
                undo.run();
            }
        }
        assertTrue(CurrentBreaker.get().isEmpty());
    }
}
