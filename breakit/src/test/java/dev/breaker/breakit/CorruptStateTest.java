package dev.breaker.breakit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Damaged state: empty, garbage, foreign and directory {@code *.state} entries next to a sound
 * one. No command crashes; each damaged one is shown as {@code corrupt}; {@code stop} still
 * stops what a damaged entry identifies.
 */
class CorruptStateTest {
    @TempDir
    Path home;
    Process victim;

    @AfterEach
    void killVictim() {
        if (victim != null) {
            victim.destroyForcibly();
        }
    }

    private static final Map<String, byte[]> DAMAGE = Map.of(
            "0000e1", new byte[0],
            "0000e2", new byte[] {(byte) 0xff, 0, '\n', '=', '\\', 'u', 'z', 'z', (byte) 0x80, '\n', '#'},
            "0000e3", "id=0000e3\nstate=RUNNING\ncreatedAt=yesterday\nsupervisorPid=-x\n".getBytes(),
            "0000e4", "<?xml version=\"1.0\"?><state/>".getBytes(),
            "0000e5", "id=ffffff\ncommand.0=true\nstate=EXITED\ncreatedAt=2026-01-01T00:00:00Z\n".getBytes());

    @Test
    void everyCommandSurvivesGarbage() throws Exception {
        Cli cli = new Cli(home);
        Path dir = cli.store.dir();
        Files.createDirectories(dir.resolve("0000e6.state"));   // a directory
        for (Map.Entry<String, byte[]> d : DAMAGE.entrySet()) {
            Files.write(dir.resolve(d.getKey() + ".state"), d.getValue());
        }
        Cli.Result done = cli.inProcess("after", "30s", "--", "true");   // a sound entry that finishes
        assertEquals(0, done.status(), "out: " + done.out() + "; err: " + done.err());
        String good = done.out().strip();
        Cli.eventually(Cli.BOUND, "the sound entry finished", () -> cli.entry(good), e -> !e.live());

        for (String[] args : List.of(new String[] {"ps"}, new String[] {"ps", "-a"}, new String[] {"ps", "--json"})) {
            Cli.Result r = cli.inProcess(args);
            assertEquals(0, r.status(), String.join(" ", args) + ": " + r.err());
            for (int i = 1; i <= 6; i++) {
                assertTrue(r.out().contains("0000e" + i), String.join(" ", args) + " shows 0000e" + i + ":\n" + r.out());
            }
            assertEquals(6, r.out().split("corrupt", -1).length - 1 - (args.length > 1 && args[1].equals("--json") ? 6 : 0),
                    "six corrupt entries in " + String.join(" ", args) + ":\n" + r.out());
        }
        assertTrue(cli.inProcess("ps", "-a").out().contains(good), "the sound entry is still listed");
        for (int i = 1; i <= 6; i++) {
            Cli.Result stop = cli.inProcess("stop", "0000e" + i);
            assertEquals(125, stop.status(), "nothing to stop in 0000e" + i + ": " + stop.out() + stop.err());
            assertTrue(stop.err().startsWith("breakit: BRKT020: the state of 0000e" + i + " is corrupt"), stop.err());
            Cli.Result logs = cli.inProcess("logs", "0000e" + i);
            assertEquals(0, logs.status(), logs.err());
        }
        assertEquals(0, cli.inProcess("stop", good).status(), "a sound entry is still stopped (finished already)");
        assertEquals(0, cli.inProcess("logs", good).status());
    }

    @Test
    void stopStillStopsTheProcessACorruptEntryIdentifies() throws Exception {
        Cli cli = new Cli(home);
        victim = new ProcessBuilder("sleep", "100").start();
        long start = Entry.startOf(victim.toHandle());
        Files.createDirectories(cli.store.dir());
        Files.writeString(cli.store.dir().resolve("0000f1.state"),
                "id=0000f1\nstate=RUNN\u00ffING\npid=" + victim.pid() + "\npidStart=" + start + "\ngrace=PT1S\n");
        assertTrue(cli.inProcess("ps").out().contains("corrupt"), cli.inProcess("ps").out());
        Cli.Result r = cli.inProcess("stop", "0000f1");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("stopped process " + victim.pid()), r.out());
        assertTrue(victim.waitFor(Cli.BOUND.toSeconds(), TimeUnit.SECONDS));
        assertFalse(victim.isAlive());
    }
}
