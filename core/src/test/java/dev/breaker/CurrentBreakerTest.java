package dev.breaker;

import dev.breaker.internal.Current;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CurrentBreakerTest {

    @Test
    void nothingIsCurrentUntilBoundAndScopesNestAndRestore() {
        assertEquals(Optional.empty(), CurrentBreaker.get());
        try (Breaker outer = Breaker.manual(); Breaker inner = Breaker.manual()) {
            try (CurrentBreaker.Scope a = CurrentBreaker.bind(outer)) {
                assertSame(outer, CurrentBreaker.get().orElseThrow());
                try (CurrentBreaker.Scope b = CurrentBreaker.bind(inner)) {
                    assertSame(inner, CurrentBreaker.get().orElseThrow());
                }
                assertSame(outer, CurrentBreaker.get().orElseThrow());
            }
        }
        assertEquals(Optional.empty(), CurrentBreaker.get());
        assertEquals(null, Current.bound(), "nothing left in the thread local");
    }

    @Test
    void aScopeClosedOutOfOrderOrOnAnotherThreadIsRefusedWithBrkr022() throws Exception {
        try (Breaker a = Breaker.manual(); Breaker b = Breaker.manual()) {
            CurrentBreaker.Scope outer = CurrentBreaker.bind(a);
            CurrentBreaker.Scope inner = CurrentBreaker.bind(b);
            IllegalStateException e = assertThrows(IllegalStateException.class, outer::close);
            assertTrue(e.getMessage().startsWith("BRKR022: "), e.getMessage());
            CompletableFuture<Throwable> other = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    inner.close();
                    other.complete(null);
                } catch (Throwable x) {
                    other.complete(x);
                }
            });
            t.start();
            Throwable x = other.get(30, TimeUnit.SECONDS);
            assertTrue(x instanceof IllegalStateException && x.getMessage().startsWith("BRKR022: "), String.valueOf(x));
            inner.close();
            outer.close();
            outer.close(); // idempotent
            assertEquals(Optional.empty(), CurrentBreaker.get());
        }
    }

    @Test
    void runAndCallRestoreEvenWhenTheTaskThrows() {
        try (Breaker b = Breaker.manual()) {
            assertThrows(IllegalStateException.class, () -> CurrentBreaker.run(b, () -> {
                assertSame(b, CurrentBreaker.get().orElseThrow());
                throw new IllegalStateException("task failed");
            }));
            assertEquals(Optional.empty(), CurrentBreaker.get());
        }
    }

    @Test
    void aWrappedTaskCarriesTheSubmittersBreakerToAnotherThreadAndLeavesNothingThere() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Breaker b = Breaker.byTimeout(Duration.ofSeconds(30))) {
            AtomicReference<Optional<Breaker>> seen = new AtomicReference<>();
            CurrentBreaker.run(b, () -> pool.execute(CurrentBreaker.wrap(() -> seen.set(CurrentBreaker.get()))));
            pool.submit(() -> { }).get(30, TimeUnit.SECONDS);
            assertSame(b, seen.get().orElseThrow());
            assertEquals(Optional.empty(), pool.submit(CurrentBreaker::get).get(30, TimeUnit.SECONDS),
                    "the pool thread keeps nothing after the task");
            // an executor wrapped once carries each submitter's breaker
            java.util.concurrent.Executor carrying = CurrentBreaker.wrap(pool);
            CompletableFuture<Optional<Breaker>> viaExecutor = new CompletableFuture<>();
            CurrentBreaker.run(b, () -> carrying.execute(() -> viaExecutor.complete(CurrentBreaker.get())));
            assertSame(b, viaExecutor.get(30, TimeUnit.SECONDS).orElseThrow());
            CompletableFuture<Optional<Breaker>> none = new CompletableFuture<>();
            carrying.execute(() -> none.complete(CurrentBreaker.get()));
            assertEquals(Optional.empty(), none.get(30, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aTaskWrappedWhereNothingIsCurrentRunsWithNothingEvenWhereAFallbackHasOne() throws Exception {
        Thread main = Thread.currentThread();
        try (Breaker fromFallback = Breaker.manual()) {
            // a fallback that has a breaker on this thread only (as a request's is found only in it)
            Runnable undo = Current.installFallback(() -> Thread.currentThread() == main ? fromFallback : null);
            try {
                assertSame(fromFallback, CurrentBreaker.get().orElseThrow(), "the fallback answers where nothing is bound");
                // wrapped on a thread where nothing is current...
                Runnable wrapped = CompletableFuture.supplyAsync(() -> CurrentBreaker.wrap(() -> { }))
                        .get(30, TimeUnit.SECONDS);
                AtomicReference<Optional<Breaker>> seen = new AtomicReference<>();
                Runnable probe = CompletableFuture.supplyAsync(() -> CurrentBreaker.wrap(() -> seen.set(CurrentBreaker.get())))
                        .get(30, TimeUnit.SECONDS);
                // ...and run here, where the fallback would answer: the task finds nothing
                wrapped.run();
                probe.run();
                assertEquals(Optional.empty(), seen.get());
                assertSame(fromFallback, CurrentBreaker.get().orElseThrow(), "and the fallback answers again after it");
            } finally {
                undo.run();
            }
            assertEquals(Optional.empty(), CurrentBreaker.get(), "the fallback removed");
            Runnable again = Current.installFallback(() -> null);
            try {
                assertTrue(again != null, "a fallback can be installed again after removal");
                assertEquals(null, Current.installFallback(() -> fromFallback), "but only one at a time");
            } finally {
                if (again != null) {
                    again.run();
                }
            }
        }
    }

    @Test
    void aWrappedTaskThatLeavesABindingOpenLeavesNothingOnItsThread() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Breaker b = Breaker.manual(); Breaker leaked = Breaker.manual()) {
            CurrentBreaker.run(b, () -> pool.execute(CurrentBreaker.wrap(() -> CurrentBreaker.bind(leaked)))); // never closed
            assertEquals(Optional.empty(), pool.submit(CurrentBreaker::get).get(30, TimeUnit.SECONDS));
            Optional<Breaker> afterCall = pool.submit(CurrentBreaker.wrapCall(() -> {
                CurrentBreaker.bind(leaked);
                return CurrentBreaker.get();
            })).get(30, TimeUnit.SECONDS);
            assertSame(leaked, afterCall.orElseThrow());
            assertEquals(Optional.empty(), pool.submit(CurrentBreaker::get).get(30, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void detachedCleanUpGetsAFreshBreakerWhileTheTrippedOneStaysTripped() throws Exception {
        try (Breaker request = Breaker.manual()) {
            request.close(); // the request's time is up
            String audit = CurrentBreaker.call(request, () -> CurrentBreaker.detached(Duration.ofSeconds(5), () -> {
                Breaker fresh = CurrentBreaker.get().orElseThrow();
                assertFalse(fresh.isBroken());
                assertTrue(fresh.remaining().orElseThrow().compareTo(Duration.ofSeconds(5)) <= 0);
                return "audit written";
            }));
            assertEquals("audit written", audit);
            assertTrue(request.isBroken());
        }
        assertEquals(Optional.empty(), CurrentBreaker.get());
    }
}
