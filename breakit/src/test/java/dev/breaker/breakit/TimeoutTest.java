package dev.breaker.breakit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code breakit run} against GNU {@code timeout} itself, side by side, on real processes:
 * the same command line must give the same exit status. Plus what only a signal-level view
 * shows: signals at any moment, an ignored INT, a death by signal passed on, the process group.
 */
class TimeoutTest {
    @TempDir
    Path home;

    /** Arguments as a shell would split them, "|" between words; the command lines GNU's own tests use. */
    @ParameterizedTest
    @ValueSource(strings = {
            "5|true", "10|sh|-c|exit 3", "10.5|sh|-c|exit 4", ".1|sleep|10", "0.2s|sleep|10", "1.|true",
            "1e3|true", "1e-1|sleep|10", "+1|true", "0|true", "0|sh|-c|exit 5", "1d|true", "1m|true", "1h|true",
            "0x10|true", "inf|true", "99999999999999999999|true", "1e999|true",
            "-s|KILL|.2|sleep|10", "-sKILL|.2|sleep|10", "--signal=INT|.2|sleep|10", "--sig|9|.2|sleep|10",
            "-s|sigusr1|.2|sleep|10", "-s|0|.2|true",
            "-k|.5|.2|sh|-c|trap '' TERM; sleep 10", "--kill-after=.5|.2|sh|-c|trap '' TERM; sleep 10",
            "--preserve-status|.2|sleep|10", "--preserve-status|.2|sh|-c|trap 'exit 9' TERM; sleep 10 & wait",
            "--foreground|.2|sleep|10", "--fore|5|true", "-v|.2|sleep|10", "--verb|5|sh|-c|exit 2",
            "--|5|true", "5|breakit-no-such-command-x1", "5|/", "5|sh|-c|kill -9 $$",
            "10x|true", "nan|true", "1ss|true", "1S|true", "|true", "1,5|true", "-1|true", "--frob|1|true",
            "-x|1|true", "-s|FOO|1|true", "-s|65|1|true", "-k", "1", "",
    })
    void givesTheSameStatusAsGnuTimeout(String line) throws Exception {
        assumeTrue(Cli.has("timeout"), "GNU timeout is not installed: no reference to compare with");
        String[] args = line.isEmpty() ? new String[0] : line.split("\\|", -1);
        List<String> gnu = new ArrayList<>(List.of("timeout"));
        gnu.addAll(List.of(args));
        Process p = new ProcessBuilder(gnu).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(Cli.BOUND.toSeconds(), TimeUnit.SECONDS));
        List<String> ours = new ArrayList<>(List.of("run"));
        ours.addAll(List.of(args));
        Cli.Result r = new Cli(home).run(ours.toArray(new String[0]));
        assertEquals(p.exitValue(), r.status(), "timeout " + String.join(" ", args) + "; breakit said: " + r.err());
        if (r.status() == 125) {
            assertTrue(r.err().matches("breakit: BRKT\\d{3}: \\S.*\\R"), "one line with a code: " + r.err());
        }
    }

    @Test
    void verboseSaysWhichSignalsItSends() throws Exception {
        Cli.Result r = new Cli(home).run("run", "-v", "-k", ".5", ".2", "sh", "-c", "trap '' TERM; sleep 10");
        assertEquals(137, r.status(), r.err());
        assertEquals(List.of("breakit: BRKT012: sending signal TERM to command 'sh'",
                "breakit: BRKT012: sending signal KILL to command 'sh'"), r.errLines());
    }

    @Test
    void withoutKillAfterACommandThatIgnoresTermIsNotKilled() throws Exception {
        // GNU without -k never sends KILL: the command ends when it wants to (here after its own 3 s)
        Cli.Result r = new Cli(home).run("run", ".2", "sh", "-c", "trap '' TERM; sleep 3; exit 6");
        assertEquals(124, r.status(), r.err());
        Cli.Result p = new Cli(home).run("run", "-p", ".2", "sh", "-c", "trap '' TERM; sleep 3; exit 6");
        assertEquals(6, p.status(), p.err());
    }

    @Test
    void aCommandThatDiesOfASignalMakesBreakitDieOfIt() throws Exception {
        assumeTrue(Cli.has("perl"), "perl is not installed: cannot see a raw wait status");
        Cli cli = new Cli(home);
        Path report = home.resolve("report");
        cli.startUnderPerl(report, cli.command("run", "30", "sh", "-c", "kill -TERM $$")).await();
        Cli.Raw raw = Cli.raw(report);
        assertEquals(15, raw.signal(), "breakit died of SIGTERM, as the command did: " + raw);
        Path report2 = home.resolve("report2");
        cli.startUnderPerl(report2, cli.command("run", "30", "sh", "-c", "exit 3")).await();
        assertEquals(new Cli.Raw(Cli.raw(report2).pid(), 0, 3), Cli.raw(report2), "a normal exit stays one");
    }

    @Test
    void aSignalBeforeTheCommandExistsReachesItOnceStarted() throws Exception {
        assumeTrue(Cli.has("perl"), "perl is not installed: cannot see a raw wait status");
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "no /proc: cannot see when breakit catches signals");
        Cli cli = new Cli(home);
        Path report = home.resolve("report");
        Cli.Started s = cli.startUnderPerl(report, cli.command("run", "60", "sh", "-c",
                "trap 'echo got TERM; exit 7' TERM; echo ready; while :; do sleep 0.05; done"));
        long pid = Cli.childPid(report);
        // SIGALRM caught: breakit's handlers are armed, first thing in main, long before the command starts
        Cli.eventually(Cli.BOUND, "breakit catches SIGALRM", () -> Cli.caught(pid), mask -> (mask & (1L << 13)) != 0);
        new ProcessBuilder("kill", "-s", "TERM", Long.toString(pid)).start().waitFor();
        s.await();
        Cli.Raw raw = Cli.raw(report);
        // the TERM reached the command: it died of it (before its trap was set) or ran its trap (after)
        assertTrue(raw.signal() == 15 || raw.exit() == 7 && s.outSoFar().contains("got TERM"),
                "the command got the TERM: " + raw + "; out: " + s.outSoFar() + "; err: " + Cli.read(s.err()));
    }

    @Test
    void anInterruptIgnoredAtLaunchIsStillForwarded() throws Exception {
        Path launcher = Path.of("src/main/sh/breakit").toAbsolutePath();
        Cli cli = new Cli(home);
        Path out = home.resolve("out");
        // as "breakit run … &" in a script: the shell starts it with SIGINT ignored
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", "trap '' INT; exec \"$0\" \"$@\"", launcher.toString(),
                "run", "60", "sh", "-c", "trap 'echo got INT; exit 9' INT; echo ready; while :; do sleep 0.05; done")
                .redirectOutput(out.toFile()).redirectErrorStream(true);
        pb.environment().put("BREAKIT_CLASSPATH", Cli.CLASS_PATH);
        Process p = pb.start();
        Cli.eventually(Cli.BOUND, "the command started", () -> Cli.read(out), o -> o.contains("ready"));
        new ProcessBuilder("kill", "-s", "INT", Long.toString(p.pid())).start().waitFor();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "SIGINT had no effect; output: " + Cli.read(out));
        assertEquals(9, p.exitValue(), Cli.read(out));
        assertTrue(Cli.read(out).contains("got INT"), Cli.read(out));
    }

    @Test
    void aGrandchildThatLeftTheTreeIsStoppedWithTheGroup() throws Exception {
        Cli cli = new Cli(home);
        Path pids = home.resolve("pids");
        // the subshell ends at once: its sleep is re-parented away from the tree (GNU kills it with the group)
        Cli.Result r = cli.run("run", "1", "sh", "-c", "(sleep 100 & echo $! > " + pids + "); sleep 100");
        assertEquals(124, r.status(), r.err());
        long orphan = Cli.pids(pids).get(0);
        assertFalse(Cli.running(orphan), "the re-parented sleep " + orphan + " survived the timeout");
    }

    @Test
    void aDescendantThatLeftTheGroupIsStoppedThroughTheTree() throws Exception {
        assumeTrue(Cli.has("setsid"), "setsid is not installed");
        Cli cli = new Cli(home);
        Path pids = home.resolve("pids");
        Cli.Result r = cli.run("run", "1", "sh", "-c", "setsid sleep 100 & echo $! > " + pids + "; sleep 100");
        assertEquals(124, r.status(), r.err());
        long leaver = Cli.pids(pids).get(0);
        assertFalse(Cli.running(leaver), "the sleep in a session of its own " + leaver + " survived the timeout");
    }

    @Test
    void aTimeoutInAPidNamespaceWithoutItsOwnProcGives124() throws Exception {
        List<String> unshare = List.of("unshare", "--user", "--map-root-user", "--pid", "--fork");
        List<String> probe = new ArrayList<>(unshare);
        probe.add("true");
        boolean works = Cli.has("unshare") && new ProcessBuilder(probe).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        assumeTrue(works, "unshare --user --pid is not allowed here: no PID namespace to test in");
        Cli cli = new Cli(home);
        List<String> cmd = new ArrayList<>(unshare);
        // a shell as the namespace's init, which reaps orphans as an init does
        cmd.addAll(List.of("sh", "-c", "\"$@\"; exit $?", "sh"));
        cmd.addAll(cli.command("run", "-k", "50", "1", "sh", "-c", "sleep 100; exit 3"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(home.resolve("out").toFile()).start();
        assertTrue(p.waitFor(Cli.BOUND.toSeconds(), TimeUnit.SECONDS), Cli.read(home.resolve("out")));
        // 124: the command ended on SIGTERM and breakit saw it, without /proc; not 137 after the 50 s
        assertEquals(124, p.exitValue(), Cli.read(home.resolve("out")));
    }
}
