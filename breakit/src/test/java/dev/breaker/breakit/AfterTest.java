package dev.breaker.breakit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code breakit after} with real detached supervisors (JVMs of their own) and real commands;
 * ps, stop and logs read the same temporary state directory.
 */
class AfterTest {
    @TempDir
    Path home;
    Cli cli;

    @AfterEach
    void killLeftovers() throws Exception {
        if (cli != null) {
            cli.killAll();
        }
    }

    private String after(String... args) {
        List<String> all = new ArrayList<>(List.of("after"));
        all.addAll(List.of(args));
        Cli.Result r = cli.inProcess(all.toArray(new String[0]));
        assertEquals(0, r.status(), r.err());
        String id = r.out().strip();
        assertTrue(id.matches("[0-9a-f]{6}"), "an id: " + r.out());
        return id;
    }

    private Entry finished(String id, Duration bound) throws Exception {
        return Cli.eventually(bound, id + " finished", () -> cli.entry(id), e -> !e.live());
    }

    @Test
    void stopsTheCommandAtItsDeadlineAndPsShowsIt() throws Exception {
        cli = new Cli(home);
        // long enough to see it running after the supervisor's JVM start-up (seconds on a busy machine)
        String id = after("8s", "--", "sleep", "60");
        Cli.Result ps = cli.inProcess("ps");
        assertTrue(ps.out().contains("| " + id + " | sleep 60 | running "), ps.out());
        long pid = cli.entry(id).pid;
        assertTrue(Cli.running(pid));

        Entry e = finished(id, Cli.BOUND);
        assertEquals(Entry.State.STOPPED, e.state);
        assertEquals("deadline", e.stopReason);
        Duration late = Duration.between(e.deadline, e.endedAt);
        assertTrue(!late.isNegative() && late.compareTo(Duration.ofSeconds(1)) <= 0, "stopped at its deadline ± 1 s: " + late);
        assertFalse(Cli.running(pid));
        assertTrue(cli.inProcess("ps", "-a").out().contains(" stopped after "), cli.inProcess("ps", "-a").out());
        assertFalse(cli.inProcess("ps").out().contains(id), "finished ones only with -a");
    }

    @Test
    void aCommandThatIgnoresSigtermAndItsChildrenAreKilledAfterTheGrace() throws Exception {
        cli = new Cli(home);
        Path pids = home.resolve("pids");
        String id = after("--grace", "1s", "2s", "--", "sh", "-c",
                "trap '' TERM; sleep 60 & echo $! > " + pids + "; echo $$ >> " + pids + "; wait; wait");
        Entry e = finished(id, Cli.BOUND);
        assertEquals(Entry.State.KILLED, e.state);
        assertTrue(cli.inProcess("ps", "-a").out().contains("| killed "));
        List<Long> tree = Cli.pids(pids);
        assertEquals(2, tree.size());
        for (long pid : tree) {
            assertFalse(Cli.running(pid), "process " + pid + " survived");
        }
    }

    @Test
    void aDelayPostponesTheStartAndEatsIntoTheDuration() throws Exception {
        cli = new Cli(home);
        Instant before = Instant.now();
        // the delay must outlast the supervisor's JVM start-up (seconds on a busy machine)
        String id = after("30s", "delay", "6s", "--", "sleep", "60");
        Entry e = cli.entry(id);
        assertEquals(Entry.State.DELAYED, e.state, "the after command returns before the delay is over");
        assertEquals(0, e.pid);
        assertTrue(cli.inProcess("ps").out().contains(" delayed "));
        assertEquals(Duration.ofSeconds(24), Duration.between(e.startAt, e.deadline), "the Until column counts from after");
        assertTrue(!e.createdAt.isBefore(before));

        e = Cli.eventually(Cli.BOUND, "started", () -> cli.entry(id), x -> x.state == Entry.State.RUNNING);
        assertTrue(!e.startedAt.isBefore(e.startAt), "not before the delay: " + e.startedAt + " < " + e.startAt);
        assertEquals(0, cli.inProcess("stop", id).status());
    }

    @Test
    void stopStopsTheCommandAndWaitsForIt() throws Exception {
        cli = new Cli(home);
        String id = after("10m", "--", "sleep", "60");
        long pid = cli.entry(id).pid;
        Cli.Result r = cli.inProcess("stop", id.substring(0, 4));
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith(id + ": stopped on request after "), r.out());
        Entry e = cli.entry(id);
        assertEquals(Entry.State.STOPPED, e.state);
        assertFalse(Cli.running(pid));
        assertFalse(Cli.running(e.supervisorPid), "the supervisor ends once it recorded the stop");
        assertEquals(0, cli.inProcess("stop", id).status(), "stopping a finished one says what it was");
    }

    @Test
    void stopDuringTheDelayMeansItNeverStarts() throws Exception {
        cli = new Cli(home);
        String id = after("10m", "delay", "5m", "--", "sleep", "60");
        Cli.Result r = cli.inProcess("stop", id);
        assertEquals(0, r.status(), r.err());
        assertEquals(id + ": stopped before start", r.out().strip());
    }

    @Test
    void aFailingCommandShowsItsExitStatusAndLastStderrLine() throws Exception {
        cli = new Cli(home);
        String id = after("10m", "--", "sh", "-c",
                "echo starting; echo 'warming up' >&2; echo 'panic: database is unreachable at db.internal:5432' >&2; exit 1");
        Entry e = finished(id, Cli.BOUND);
        assertEquals(Entry.State.EXITED, e.state);
        assertEquals(1, e.exitCode);
        assertEquals("panic: database is unreachable at db.internal:5432", e.lastLine);
        String table = cli.inProcess("ps", "-a").out();
        assertTrue(table.contains("| exit 1; panic: database is unreachabl... |"), table);
        String json = cli.inProcess("ps", "-a", "--json").out();
        assertTrue(json.contains("\"exitCode\": 1"), json);
        assertTrue(json.contains("\"lastStderrLine\": \"panic: database is unreachable at db.internal:5432\""), json);
        String logs = cli.inProcess("logs", id).out();
        assertTrue(logs.contains("starting\n"), logs);
        assertTrue(logs.contains("warming up\npanic: database is unreachable"), logs);
    }

    @Test
    void aGrandchildThatLeftTheTreeIsStoppedWithTheGroup() throws Exception {
        cli = new Cli(home);
        Path pids = home.resolve("pids");
        // the subshell ends at once: its sleep is re-parented away from the command's tree
        String id = after("3s", "--", "sh", "-c", "(sleep 100 & echo $! > " + pids + "); sleep 100");
        Entry e = finished(id, Cli.BOUND);
        assertEquals(Entry.State.STOPPED, e.state, e.status());
        long orphan = Cli.pids(pids).get(0);
        assertFalse(Cli.running(orphan), "the re-parented sleep " + orphan + " survived the deadline");
    }

    @Test
    void aCommandNotFoundShowsAsFailed() throws Exception {
        cli = new Cli(home);
        String id = after("10m", "--", "breakit-no-such-command-x1");
        Entry e = finished(id, Cli.BOUND);
        assertEquals(127, e.exitCode);
        assertTrue(cli.inProcess("ps", "-a").out().contains("| exit 127; breakit: BRKT010: cannot ru... |"),
                cli.inProcess("ps", "-a").out());
    }

    @Test
    void aSupervisorKilledWithSigkillShowsAsLostAndStopCleansUp() throws Exception {
        cli = new Cli(home);
        String id = after("10m", "--", "sleep", "60");
        Entry e = cli.entry(id);
        ProcessHandle.of(e.supervisorPid).orElseThrow().destroyForcibly();
        Cli.eventually(Cli.BOUND, "lost", () -> cli.inProcess("ps").out(), ps -> ps.contains("| lost "));
        assertTrue(Cli.running(e.pid), "the command outlives its supervisor");
        Cli.Result r = cli.inProcess("stop", id);
        assertEquals(0, r.status(), r.err());
        assertFalse(Cli.running(e.pid));
        assertFalse(cli.inProcess("ps").out().contains(id));
    }

    @Test
    void twentyConcurrentAftersLeaveTwentyCorrectRows() throws Exception {
        cli = new Cli(home);
        int n = 20;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        List<Future<String>> ids = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                String arg = Integer.toString(100 + i);
                ids.add(pool.submit(() -> after("10m", "--", "sleep", arg)));
            }
            Set<String> distinct = new HashSet<>();
            for (Future<String> f : ids) {
                distinct.add(f.get(3, TimeUnit.MINUTES));
            }
            assertEquals(n, distinct.size());
            List<Entry> all = cli.store.list();
            assertEquals(n, all.size());
            Set<String> commands = new HashSet<>();
            for (Entry e : all) {
                assertEquals("running", e.view(), e.id);
                assertTrue(distinct.contains(e.id));
                commands.add(e.commandLine());
            }
            assertEquals(n, commands.size(), "each row its own command");
            String table = cli.inProcess("ps").out();
            assertTrue(table.matches("(?s).*\\| Total +\\| " + n + " +\\|.*"), table);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theSupervisorSurvivesSighupToTheShellThatStartedIt() throws Exception {
        cli = new Cli(home);
        Path idFile = home.resolve("id");
        StringBuilder after = new StringBuilder();
        for (String word : cli.command("after", "10m", "--", "sleep", "60")) {
            after.append('\'').append(word.replace("'", "'\\''")).append("' ");
        }
        // a login shell of its own (session and process group leader) that runs after and lingers
        ProcessBuilder pb = new ProcessBuilder("setsid", "sh", "-c", after + "> " + idFile + "; exec sleep 60");
        pb.environment().put("XDG_STATE_HOME", home.toString());
        Process shell = pb.start();
        try {
            String id = Cli.eventually(Cli.BOUND, "after printed its id",
                    () -> java.nio.file.Files.exists(idFile) ? Cli.read(idFile).strip() : "", s -> s.length() == 6);
            Entry e = cli.entry(id);
            // what a closing terminal does: SIGHUP to the shell's process group
            assertEquals(0, new ProcessBuilder("kill", "-s", "HUP", "--", "-" + shell.pid()).start().waitFor());
            assertTrue(shell.waitFor(Cli.BOUND.toSeconds(), TimeUnit.SECONDS), "the shell's group got the SIGHUP");
            assertTrue(Cli.running(e.supervisorPid) && Cli.running(e.pid), "supervisor and command survive");
            assertEquals("running", cli.entry(id).view());
            assertEquals(0, cli.inProcess("stop", id).status());
        } finally {
            shell.destroyForcibly();
        }
    }

    @Test
    void logsShowsTheCommandsOutput() throws Exception {
        cli = new Cli(home);
        String id = after("10m", "--", "sh", "-c", "echo out-line; echo err-line >&2");
        finished(id, Cli.BOUND);
        String logs = cli.inProcess("logs", id).out();
        assertTrue(logs.contains("out-line\n") && logs.contains("err-line\n"), logs);
    }
}
