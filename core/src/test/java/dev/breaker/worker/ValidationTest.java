package dev.breaker.worker;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValidationTest {
    static {
        QuietLogs.apply();
    }


    private static WorkerSpec w(String name, String... deps) {
        return WorkerSpec.builder(name).dependsOn(deps).build();
    }

    @Test
    void cycleNamesTheWholePath() {
        InvalidGraphException e = assertThrows(InvalidGraphException.class, () -> WorkerGraph.builder()
                .worker(w("a", "b")).worker(w("b", "c")).worker(w("c", "a")).build());
        assertEquals(List.of("BRKR102: cycle: a -> b -> c -> a"), e.problems());
        assertTrue(e.getMessage().contains("BRKR102: cycle: a -> b -> c -> a"), e.getMessage());
    }

    @Test
    void selfDependencyIsACycle() {
        InvalidGraphException e = assertThrows(InvalidGraphException.class,
                () -> WorkerGraph.builder().worker(w("x", "x")).build());
        assertEquals(List.of("BRKR102: cycle: x -> x"), e.problems());
    }

    @Test
    void unknownDependencyNamesBothEnds() {
        InvalidGraphException e = assertThrows(InvalidGraphException.class,
                () -> WorkerGraph.builder().worker(w("x", "y")).build());
        assertEquals(List.of("BRKR101: worker 'x' depends on unknown worker 'y'"), e.problems());
    }

    @Test
    void duplicateName() {
        InvalidGraphException e = assertThrows(InvalidGraphException.class,
                () -> WorkerGraph.builder().worker(w("z")).worker(w("z")).worker(w("z")).build());
        assertEquals(List.of("BRKR100: duplicate worker name 'z'"), e.problems());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        InvalidGraphException e = assertThrows(InvalidGraphException.class, () -> WorkerGraph.builder()
                .worker(w("z")).worker(w("z"))
                .worker(w("x", "y"))
                .worker(w("a", "b")).worker(w("b", "a"))
                .worker(w("p", "q")).worker(w("q", "r")).worker(w("r", "p"))
                .build());
        assertEquals(List.of(
                "BRKR100: duplicate worker name 'z'",
                "BRKR101: worker 'x' depends on unknown worker 'y'",
                "BRKR102: cycle: a -> b -> a",
                "BRKR102: cycle: p -> q -> r -> p"), e.problems());
        assertTrue(e.getMessage().startsWith("invalid worker graph: 4 problems"), e.getMessage());
    }

    @Test
    void dependingOnTheDefaultJobRunnerIsACycle() {
        InvalidGraphException e = assertThrows(InvalidGraphException.class,
                () -> WorkerGraph.builder().worker(w("x", WorkerGraph.DEFAULT_JOBS)).build());
        assertEquals(List.of("BRKR102: cycle: x -> (jobs) -> x"), e.problems());
    }

    @Test
    void jobRunnersAreValidatedLikeWorkers() {
        WorkerGraph.Builder b = WorkerGraph.builder().worker(w("db"));
        b.jobRunner("mails", "db", "smtp");
        InvalidGraphException e = assertThrows(InvalidGraphException.class, b::build);
        assertEquals(List.of("BRKR101: worker 'mails' depends on unknown worker 'smtp'"), e.problems());
    }

    @Test
    void specBuilderNamesWorkerAndField() {
        assertEquals("worker name must not be null",
                assertThrows(NullPointerException.class, () -> WorkerSpec.builder(null)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> WorkerSpec.builder("  "));
        WorkerSpec.Builder b = WorkerSpec.builder("db");
        assertEquals("worker 'db': stopTimeout must be positive, got PT-1S",
                assertThrows(IllegalArgumentException.class, () -> b.stopTimeout(Duration.ofSeconds(-1))).getMessage());
        assertEquals("worker 'db': stopTimeout must not be null",
                assertThrows(NullPointerException.class, () -> b.stopTimeout(null)).getMessage());
        assertEquals("worker 'db': startTimeout must be positive, got PT0S",
                assertThrows(IllegalArgumentException.class, () -> b.startTimeout(Duration.ZERO)).getMessage());
        assertEquals("worker 'db': dependsOn must not contain null",
                assertThrows(NullPointerException.class, () -> b.dependsOn("a", null)).getMessage());
        assertEquals("worker 'db': onStop must not be null",
                assertThrows(NullPointerException.class, () -> b.onStop(null)).getMessage());
        assertEquals("worker 'db': restartLimit maxRestarts must not be negative: -1",
                assertThrows(IllegalArgumentException.class, () -> b.restartLimit(-1, Duration.ofSeconds(1))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertThrows(NullPointerException.class, () -> b.bind(null));
    }

    @Test
    void specDefaults() {
        WorkerSpec s = WorkerSpec.builder("db").build();
        assertTrue(s.startTimeout().isEmpty());
        assertEquals(Duration.ofSeconds(10), s.stopTimeout());
        assertEquals(Policy.NOTHING, s.onReturn());
        assertEquals(Policy.SHUTDOWN, s.onError());
        assertEquals(5, s.maxRestarts());
        assertEquals(Duration.ofMinutes(1), s.restartWindow());
        assertEquals(Duration.ofMillis(100), s.backoffInitial());
        assertEquals(Duration.ofSeconds(5), s.backoffMax());
    }

    @Test
    void unknownWorkerInfo() {
        WorkerGraph g = WorkerGraph.builder().worker(w("a")).build();
        assertEquals("BRKR140: unknown worker 'nope'",
                assertThrows(IllegalArgumentException.class, () -> g.info("nope")).getMessage());
        g.shutdown();
    }
}
