package dev.breaker.worker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Jobs in flight drain before the workers they use stop; late jobs are rejected. */
@Timeout(60)
class JobRunnerTest {
    static {
        QuietLogs.apply();
    }

    @Test
    void jobInFlightCompletesAndLateJobIsRejected() throws Exception {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        WorkerGraph graph = WorkerGraph.builder()
                .worker(WorkerSpec.builder("db").onStop(ctx -> log.add("stop db")).build())
                .build();
        graph.start();
        CountDownLatch jobRunning = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> job = graph.jobs().submit(() -> {
            jobRunning.countDown();
            release.await();
            log.add("job done");
            return "result";
        });
        assertTrue(jobRunning.await(10, TimeUnit.SECONDS));
        assertEquals(1, graph.jobs().inFlight());
        CompletableFuture<ShutdownReport> shutdown = CompletableFuture.supplyAsync(graph::shutdown);
        // once the runner's stop has begun, new jobs are rejected
        RejectedExecutionException[] rejected = new RejectedExecutionException[1];
        Threads.await("a job rejected", Duration.ofSeconds(10), () -> {
            try {
                graph.jobs().submit(() -> null);
                return false;
            } catch (RejectedExecutionException e) {
                rejected[0] = e;
                return true;
            }
        });
        assertEquals("BRKR136: job runner '(jobs)' is stopping: job rejected", rejected[0].getMessage());
        assertFalse(log.contains("stop db"));
        assertEquals(WorkerState.RUNNING, graph.info("db").state());
        release.countDown();
        assertTrue(shutdown.get(10, TimeUnit.SECONDS).clean());
        assertEquals("result", job.get());
        assertEquals(List.of("job done", "stop db"), log);
        assertEquals(0, graph.jobs().inFlight());
    }

    @Test
    void namedRunnerDrainsBeforeItsDependenciesOnly() throws Exception {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        WorkerGraph.Builder b = WorkerGraph.builder()
                .worker(WorkerSpec.builder("smtp").onStop(ctx -> log.add("stop smtp")).build())
                .worker(WorkerSpec.builder("http").dependsOn("mails").onStop(ctx -> log.add("stop http")).build());
        JobRunner mails = b.jobRunner("mails", "smtp");
        // accepted before start: waits until the runner has started
        CompletableFuture<String> early = mails.submit(() -> {
            log.add("early job");
            return "early";
        });
        WorkerGraph graph = b.build();
        assertFalse(early.isDone());
        graph.start();
        assertEquals("early", early.get(10, TimeUnit.SECONDS));
        assertTrue(graph.shutdown().clean());
        assertEquals(List.of("early job", "stop http", "stop smtp"), log);
        assertThrows(RejectedExecutionException.class, () -> mails.submit(() -> null));
        assertEquals("mails", mails.name());
    }

    @Test
    void jobsWaitingForAStartThatNeverComesAreRejected() {
        WorkerGraph.Builder b = WorkerGraph.builder()
                .worker(WorkerSpec.builder("db").onStart(ctx -> {
                    throw new IllegalStateException("no db");
                }).build());
        JobRunner runner = b.jobRunner("reports", "db");
        WorkerGraph graph = b.build();
        CompletableFuture<Object> waiting = runner.submit(() -> "never");
        assertThrows(WorkerStartException.class, graph::start);
        ExecutionException e = assertThrows(ExecutionException.class, waiting::get);
        assertInstanceOf(RejectedExecutionException.class, e.getCause());
        assertEquals(0, runner.inFlight());
    }

    @Test
    void failingJobFailsItsFutureOnly() throws Exception {
        WorkerGraph graph = WorkerGraph.builder().build();
        graph.start();
        IllegalStateException boom = new IllegalStateException("boom");
        CompletableFuture<Object> f = graph.jobs().submit(() -> {
            throw boom;
        });
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        assertEquals(boom, e.getCause());
        assertTrue(graph.shutdown().clean());
    }
}
