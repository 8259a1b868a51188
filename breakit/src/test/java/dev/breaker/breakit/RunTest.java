package dev.breaker.breakit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code breakit run} in its own JVM, on real child processes, with GNU timeout's exit statuses. */
class RunTest {
    @TempDir
    Path home;

    @Test
    void timeOutGives124AndLeavesNoProcessOfTheTree() throws Exception {
        Cli cli = new Cli(home);
        Path pids = home.resolve("pids");
        Cli.Result r = cli.run("run", "1s", "--", "sh", "-c",
                "sleep 30 & echo $! > " + pids + "; echo $$ >> " + pids + "; wait");
        assertEquals(124, r.status(), r.err());
        assertTrue(r.elapsed().compareTo(Duration.ofSeconds(1)) >= 0, "not before its time: " + r.elapsed());
        List<Long> tree = Cli.pids(pids);
        assertEquals(2, tree.size());
        for (long pid : tree) {
            assertFalse(Cli.running(pid), "process " + pid + " of the tree still runs");
        }
    }

    @Test
    void theCommandsExitStatusPassesThrough() throws Exception {
        Cli cli = new Cli(home);
        assertEquals(3, cli.run("run", "30s", "--", "sh", "-c", "exit 3").status());
        assertEquals(0, cli.run("run", "30s", "--", "true").status());
    }

    @Test
    void aCommandNotFoundGives127() throws Exception {
        Cli.Result r = new Cli(home).run("run", "30s", "--", "breakit-no-such-command-x1");
        assertEquals(127, r.status());
        assertEquals(List.of("breakit: BRKT010: cannot run 'breakit-no-such-command-x1': command not found"), r.errLines());
    }

    @Test
    void aCommandThatCannotBeRunGives126() throws Exception {
        Path script = Files.writeString(home.resolve("not-executable.sh"), "echo hi\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
        Cli cli = new Cli(home);
        assertEquals(126, cli.run("run", "30s", "--", script.toString()).status());
        assertEquals(126, cli.run("run", "30s", "--", home.toString()).status(), "a directory");
        Cli.Result r = cli.run("run", "30s", "--", script.toString());
        assertEquals(List.of("breakit: BRKT011: cannot run '" + script + "': Permission denied"), r.errLines());
    }

    @Test
    void aCommandThatIgnoresSigtermIsKilledAfterTheGrace() throws Exception {
        Cli cli = new Cli(home);
        Path pids = home.resolve("pids");
        Cli.Result r = cli.run("run", "--grace", "1s", "1s", "--", "sh", "-c",
                "trap '' TERM; sleep 30 & echo $! > " + pids + "; echo $$ >> " + pids + "; wait; wait");
        assertEquals(137, r.status(), r.err());
        assertTrue(r.elapsed().compareTo(Duration.ofSeconds(2)) >= 0, "SIGKILL before the grace: " + r.elapsed());
        for (long pid : Cli.pids(pids)) {
            assertFalse(Cli.running(pid), "process " + pid + " survived SIGKILL");
        }
    }

    @Test
    void sigtermToBreakitReachesTheCommand() throws Exception {
        Cli cli = new Cli(home);
        Cli.Started s = cli.start("run", "60s", "--", "sh", "-c",
                "trap 'echo got TERM; exit 7' TERM; echo ready; while :; do sleep 0.05; done");
        Cli.eventually(Cli.BOUND, "the command started", s::outSoFar, out -> out.contains("ready"));
        s.process().destroy();   // SIGTERM to breakit
        Cli.Result r = s.await();
        assertEquals(7, r.status(), "the command's own status after its TERM trap; stderr: " + r.err());
        assertTrue(r.out().contains("got TERM"), r.out());
        assertTrue(r.elapsed().compareTo(Duration.ofSeconds(50)) < 0, "the command stopped at the signal, not at 60s");
    }

    @Test
    void afterForegroundWaitsTheDelayInsideTheDuration() throws Exception {
        Cli cli = new Cli(home);
        Path marks = home.resolve("marks");
        long before = java.time.Instant.now().toEpochMilli();
        Cli.Result r = cli.run("after", "--foreground", "2s", "delay", "1s", "--", "sh", "-c",
                "date +%s%N > " + marks + "; sleep 30");
        assertEquals(124, r.status(), r.err());
        assertTrue(r.elapsed().compareTo(Duration.ofSeconds(2)) >= 0, r.elapsed().toString());
        long started = Long.parseLong(Files.readString(marks).strip()) / 1_000_000;
        assertTrue(started - before >= 1000, "the command started " + (started - before) + " ms after the call, not after the delay");
        assertEquals(3, cli.run("after", "--foreground", "10s", "--", "sh", "-c", "exit 3").status());
    }

    @Test
    void sigintToBreakitIsForwardedAsSigint() throws Exception {
        Cli cli = new Cli(home);
        Cli.Started s = cli.start("run", "60s", "--", "sh", "-c",
                "trap 'echo got INT; exit 9' INT; trap 'echo got TERM; exit 8' TERM; echo ready; while :; do sleep 0.05; done");
        Cli.eventually(Cli.BOUND, "the command started", s::outSoFar, out -> out.contains("ready"));
        new ProcessBuilder("kill", "-s", "INT", Long.toString(s.process().pid())).start().waitFor();
        Cli.Result r = s.await();
        assertEquals(9, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("got INT"), r.out());
    }
}
