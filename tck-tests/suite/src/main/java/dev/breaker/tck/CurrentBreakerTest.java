package dev.breaker.tck;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;
import dev.breaker.CurrentBreaker;
import dev.breaker.tck.harness.Requests;
import dev.breaker.tck.harness.Tck;
import dev.breaker.tck.harness.TckTest;
import dev.breaker.tck.spi.App;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code CurrentBreaker.get()} inside a request finds the request's own breaker (the one every
 * unqualified {@code @Inject Breaker} gets in it), without injection; outside a request it finds
 * nothing; the request's breaker reaches another thread only through a wrapped task, and ends
 * with the request. Requests as in {@link RequestBoundBreakerTest}, on threads other than the
 * boot thread.
 */
public class CurrentBreakerTest extends TckTest {

    @ApplicationScoped
    public static class Handler {
        @Inject
        Breaker plain;

        /** Closes the request's breaker through the injected handle; reports what the current one says. */
        public boolean closeInjectedThenCurrentIsBroken() {
            Breaker current = CurrentBreaker.get().orElseThrow(() -> new AssertionError("no current breaker in a request"));
            assertFalse(current.isBroken());
            plain.close();
            return current.isBroken();
        }

        public boolean currentIsLive() {
            return !CurrentBreaker.get().orElseThrow().isBroken();
        }

        public BreakReason awaitCurrent() throws InterruptedException {
            Breaker current = CurrentBreaker.get().orElseThrow();
            if (!current.await(Duration.ofSeconds(10))) {
                throw new AssertionError("the request's breaker never tripped");
            }
            return current.reason().orElseThrow().root();
        }
    }

    @ApplicationScoped
    public static class JobSubmitter {
        @Inject
        dev.breaker.worker.JobRunner jobs;

        /** From inside a request: what a job sees, compared with the request's breaker. */
        public String submitAndCompare() throws Exception {
            Breaker mine = CurrentBreaker.get().orElseThrow();
            return jobs.submit(() -> CurrentBreaker.get().map(b -> b == mine ? "the request's" : "another").orElse("none"))
                    .get(10, TimeUnit.SECONDS);
        }
    }

    private static <T> T request(Requests requests, java.util.concurrent.Callable<T> call) throws Exception {
        return Tck.onOtherThread(() -> requests.run(call));
    }

    @Test
    public void inARequestTheCurrentBreakerIsTheRequestsOwnAndEndsWithIt() throws Exception {
        App app = Tck.deploy(Handler.class, Requests.class);
        Handler handler = app.select(Handler.class).get();
        Requests requests = app.select(Requests.class).get();
        assertTrue(request(requests, handler::closeInjectedThenCurrentIsBroken),
                "the injected breaker and the current one are the request's one breaker");
        assertTrue(request(requests, handler::currentIsLive), "the next request has a live one of its own");
        assertEquals(Optional.empty(), Tck.onOtherThread(CurrentBreaker::get), "nothing outside a request");

        CompletableFuture<BreakReason> endedWith = new CompletableFuture<>();
        request(requests, () -> {
            Breaker current = CurrentBreaker.get().orElseThrow();
            current.onBreak(() -> endedWith.complete(current.reason().orElseThrow()));
            return null;
        });
        assertEquals(BreakReason.Kind.CLOSED, endedWith.get(10, TimeUnit.SECONDS).kind(), "closed at the request's end");
    }

    @Test
    public void theDefaultTimeoutBoundsEachRequestsCurrentBreaker() throws Exception {
        App app = Tck.deploy(Tck.config("breaker.default.timeout", "300ms"), Handler.class, Requests.class);
        Handler handler = app.select(Handler.class).get();
        Requests requests = app.select(Requests.class).get();
        assertEquals(BreakReason.Kind.TIMEOUT, request(requests, handler::awaitCurrent).kind());
        assertTrue(request(requests, handler::currentIsLive), "the next request starts its own 300 ms");
    }

    @Test
    public void aJobSubmittedFromARequestDoesNotInheritItsBreaker() throws Exception {
        App app = Tck.deploy(JobSubmitter.class, Requests.class);
        JobSubmitter submitter = app.select(JobSubmitter.class).get();
        Requests requests = app.select(Requests.class).get();
        String seen = request(requests, submitter::submitAndCompare);
        assertFalse(seen.equals("the request's"), "a job outlives its request: it must not be bounded by it (" + seen + ")");
    }

    @Test
    public void anotherThreadSeesTheRequestsBreakerOnlyThroughAWrappedTask() throws Exception {
        App app = Tck.deploy(Handler.class, Requests.class);
        Requests requests = app.select(Requests.class).get();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            boolean[] seen = request(requests, () -> {
                Breaker current = CurrentBreaker.get().orElseThrow();
                Optional<Breaker> plainTask = pool.submit(CurrentBreaker::get).get(10, TimeUnit.SECONDS);
                Optional<Breaker> wrapped = pool.submit(CurrentBreaker.wrapCall(CurrentBreaker::get)).get(10, TimeUnit.SECONDS);
                return new boolean[]{plainTask.isPresent(), wrapped.orElse(null) == current};
            });
            assertFalse(seen[0], "a plain task on a pool thread runs in no request");
            assertTrue(seen[1], "a wrapped task carries the request's breaker");
        } finally {
            pool.shutdownNow();
        }
    }
}
