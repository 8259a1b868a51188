package dev.breaker.mutiny;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;
import dev.breaker.BrokenException;
import dev.breaker.RecordingBreaker;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.Flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real Mutiny pipelines under real breakers. */
class BreakerMutinyTest {

    /** A Uni that never emits and records its cancellation (its source's clean-up). */
    private static Uni<String> never(CountDownLatch cancelled) {
        return Uni.createFrom().<String>emitter(e -> e.onTermination(cancelled::countDown));
    }

    @Test
    void aTripCancelsTheUpstreamUniAndFailsWithTheReason() throws Exception {
        CountDownLatch cancelled = new CountDownLatch(1);
        try (Breaker b = Breaker.byTimeout(Duration.ofMillis(200))) {
            CompletableFuture<Throwable> failed = new CompletableFuture<>();
            BreakerMutiny.bound(b, never(cancelled)).subscribe().with(x -> { }, failed::complete);
            Throwable failure = failed.get(10, TimeUnit.SECONDS);
            BrokenException e = assertInstanceOf(BrokenException.class, failure);
            assertEquals(BreakReason.Kind.TIMEOUT, e.reason().kind());
            assertTrue(cancelled.await(10, TimeUnit.SECONDS), "the upstream's termination hook ran");
        }
    }

    @Test
    void aUniSubscribedAfterTheTripNeverSubscribesUpstream() {
        AtomicBoolean subscribed = new AtomicBoolean();
        try (Breaker b = Breaker.manual()) {
            b.close();
            Uni<String> source = Uni.createFrom().item(() -> {
                subscribed.set(true);
                return "work";
            });
            CompletableFuture<Throwable> failed = new CompletableFuture<>();
            BreakerMutiny.bound(b, source).subscribe().with(x -> { }, failed::complete);
            assertInstanceOf(BrokenException.class, failed.getNow(null));
            assertFalse(subscribed.get(), "the work never started");
        }
    }

    @Test
    void aMultiSubscribedAfterTheTripNeverSubscribesUpstream() {
        AtomicBoolean subscribed = new AtomicBoolean();
        try (Breaker b = Breaker.manual()) {
            b.close();
            Multi<Integer> source = Multi.createFrom().range(0, 10).onSubscription().invoke(() -> subscribed.set(true));
            CompletableFuture<Throwable> failed = new CompletableFuture<>();
            BreakerMutiny.bound(b, source).subscribe().with(x -> { }, failed::complete);
            assertInstanceOf(BrokenException.class, failed.getNow(null));
            assertFalse(subscribed.get(), "the source was never subscribed to");
        }
    }

    @Test
    void finishedUnisLeaveNothingOnALongLivedBreaker() {
        try (RecordingBreaker b = new RecordingBreaker(Breaker.manual())) {
            for (int i = 0; i < 10_000; i++) {
                assertEquals("ok", BreakerMutiny.bound(b, Uni.createFrom().item("ok")).await().indefinitely());
            }
            assertEquals(IllegalStateException.class.getName(),
                    BreakerMutiny.bound(b, Uni.createFrom().<String>failure(new IllegalStateException("x")))
                            .onFailure().recoverWithItem(f -> f.getClass().getName()).await().indefinitely(),
                    "the upstream's own failure passes through");
            CountDownLatch cancelled = new CountDownLatch(1);
            BreakerMutiny.bound(b, never(cancelled)).subscribe().with(x -> { }).cancel(); // cancelled downstream
            assertEquals(0, cancelled.getCount(), "a downstream cancel reaches the upstream");
            assertEquals(0, b.liveRegistrations(), "every registration removed");
            assertEquals(10_002, b.registrations.get());
        }
    }

    @Test
    void aTripCancelsAnEndlessMultiAndFailsIt() throws Exception {
        AtomicBoolean upstreamCancelled = new AtomicBoolean();
        try (RecordingBreaker b = new RecordingBreaker(Breaker.byTimeout(Duration.ofMillis(300)))) {
            Multi<Long> ticks = Multi.createFrom().ticks().every(Duration.ofMillis(10))
                    .onCancellation().invoke(() -> upstreamCancelled.set(true));
            AssertSubscriber<Long> s = BreakerMutiny.bound(b, ticks).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
            s.awaitFailure(Duration.ofSeconds(10));
            BrokenException e = assertInstanceOf(BrokenException.class, s.getFailure());
            assertEquals(BreakReason.Kind.TIMEOUT, e.reason().kind());
            assertTrue(upstreamCancelled.get(), "the ticks were cancelled at their source");
            int seen = s.getItems().size();
            assertTrue(seen > 0, "items before the trip passed through");
            assertEquals(0, b.liveRegistrations());
        }
    }

    @Test
    void aMultiThatCompletesFirstPassesThroughWhole() {
        try (RecordingBreaker b = new RecordingBreaker(Breaker.byTimeout(Duration.ofSeconds(30)))) {
            List<Integer> all = BreakerMutiny.bound(b, Multi.createFrom().range(0, 1000)).collect().asList().await().indefinitely();
            assertEquals(1000, all.size());
            assertEquals(0, b.liveRegistrations());
        }
    }

    @Test
    void aMultiWhoseConsumerTripsTheBreakerFailsAfterThatItemAndReceivesNoMore() {
        try (Breaker b = Breaker.manual()) {
            AtomicInteger received = new AtomicInteger();
            CompletableFuture<Throwable> failed = new CompletableFuture<>();
            BreakerMutiny.bound(b, Multi.createFrom().range(0, 100)).subscribe().with(
                    i -> {
                        received.incrementAndGet();
                        if (i == 3) {
                            b.close(); // trips from inside onNext
                        }
                    },
                    failed::complete);
            assertInstanceOf(BrokenException.class, failed.getNow(null));
            assertEquals(4, received.get(), "items 0..3, then the failure, then nothing");
        }
    }

    /**
     * A trip racing a stream that emits on another thread, 2,000 times: each subscriber sees
     * exactly one terminal signal and no item after it, and no registration is left.
     */
    @Test
    void aTripRacingEmissionOnAnotherThreadGivesOneTerminalSignalAndNothingAfter() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        List<int[]> results = new java.util.ArrayList<>(); // per run: {terminals, itemsAfterTerminal}
        List<RecordingBreaker> breakers = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 2_000; i++) {
                RecordingBreaker b = new RecordingBreaker(Breaker.manual());
                breakers.add(b);
                int[] r = new int[2];
                results.add(r);
                CountDownLatch terminal = new CountDownLatch(1);
                Object guard = new Object();
                Multi<Integer> source = Multi.createFrom().range(0, 50).emitOn(pool);
                BreakerMutiny.bound(b, source).subscribe().with(
                        item -> {
                            synchronized (guard) {
                                if (r[0] > 0) {
                                    r[1]++;
                                }
                            }
                        },
                        failure -> {
                            synchronized (guard) {
                                r[0]++;
                            }
                            terminal.countDown();
                        },
                        () -> {
                            synchronized (guard) {
                                r[0]++;
                            }
                            terminal.countDown();
                        });
                pool.execute(b::close); // races the emission
                assertTrue(terminal.await(10, TimeUnit.SECONDS), "run " + i + " never terminated");
            }
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
        for (int i = 0; i < results.size(); i++) {
            assertEquals(1, results.get(i)[0], "run " + i + ": terminal signals");
            assertEquals(0, results.get(i)[1], "run " + i + ": items after the terminal signal");
            assertEquals(0, breakers.get(i).liveRegistrations(), "run " + i + ": registrations left");
        }
    }

    /** The same race for a Uni: one outcome each, nothing left registered, no deadlock. */
    @Test
    void aTripRacingAUniOnAnotherThreadGivesOneOutcome() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        List<AtomicInteger> outcomes = new java.util.ArrayList<>();
        List<RecordingBreaker> breakers = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 2_000; i++) {
                RecordingBreaker b = new RecordingBreaker(Breaker.manual());
                AtomicInteger n = new AtomicInteger();
                breakers.add(b);
                outcomes.add(n);
                CountDownLatch one = new CountDownLatch(1);
                BreakerMutiny.bound(b, Uni.createFrom().item("ok").emitOn(pool)).subscribe().with(
                        item -> {
                            n.incrementAndGet();
                            one.countDown();
                        },
                        failure -> {
                            n.incrementAndGet();
                            one.countDown();
                        });
                pool.execute(b::close);
                assertTrue(one.await(10, TimeUnit.SECONDS), "run " + i + " had no outcome");
            }
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS), "a pool thread is stuck");
        }
        for (int i = 0; i < outcomes.size(); i++) { // every task of every run has ended
            assertEquals(1, outcomes.get(i).get(), "run " + i);
            assertEquals(0, breakers.get(i).liveRegistrations(), "run " + i);
        }
    }

    /**
     * The path that deadlocked (found in review): the downstream cancels from inside onNext while
     * another thread's trip is waiting for the relay's lock. Closing the registration there would
     * wait for that trip action, which waits for the lock this thread holds.
     */
    @Test
    void aCancelFromInsideOnNextWhileATripWaitsDoesNotDeadlock() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (RecordingBreaker b = new RecordingBreaker(Breaker.manual())) {
                AtomicReference<Thread> tripper = new AtomicReference<>();
                AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
                BreakerMutiny.bound(b, Multi.createFrom().items(1, 2, 3)).subscribe().withSubscriber(new Flow.Subscriber<Integer>() {
                    @Override
                    public void onSubscribe(Flow.Subscription s) {
                        subscription.set(s);
                        s.request(Long.MAX_VALUE);
                    }

                    @Override
                    public void onNext(Integer item) {
                        if (item != 1) {
                            return;
                        }
                        Thread t = new Thread(b::close, "tripper");
                        tripper.set(t);
                        t.start();
                        // the trip action is running and waits for the relay's lock, which this thread holds
                        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TERMINATED) {
                            Thread.onSpinWait();
                        }
                        subscription.get().cancel();
                    }

                    @Override
                    public void onError(Throwable throwable) {
                    }

                    @Override
                    public void onComplete() {
                    }
                });
                tripper.get().join();
                assertEquals(0, b.liveRegistrations());
            }
        });
    }
}
