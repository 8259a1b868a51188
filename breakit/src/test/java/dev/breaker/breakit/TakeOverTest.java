package dev.breaker.breakit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code after}'s wait for its supervisor to take over the entry ({@link AfterCommand#awaitTakeOver}),
 * and the ids it draws. The interleavings are forced, not waited for.
 */
class TakeOverTest {
    @TempDir
    Path home;
    Process started;

    @AfterEach
    void killStarted() {
        if (started != null) {
            started.destroyForcibly();
        }
    }

    private Entry starting(Store store) throws Exception {
        Entry e = new Entry();
        e.id = store.reserveId();
        e.command = List.of("true");
        e.createdAt = Instant.now();
        e.startAt = e.createdAt;
        e.deadline = e.createdAt.plusSeconds(30);
        e.grace = Duration.ofSeconds(1);
        store.write(e);
        return e;
    }

    /**
     * A supervisor that takes over, runs a quick command and ends, all between two of the client's
     * looks (the client's thread descheduled for a moment on a busy machine): CorruptStateTest's
     * {@code after 30s -- true} failed once that way, with status 125. Each case lets it happen
     * right after the client's n-th liveness check.
     */
    @Test
    void aSupervisorThatTookOverAndEndedBetweenTwoLooksIsNoFailure() throws Exception {
        for (int n = 1; n <= 3; n++) {
            Store store = new Store(home.resolve("n" + n));
            Entry e = starting(store);
            Entry done = store.read(e.id).orElseThrow();
            done.supervisorPid = 4242;
            done.state = Entry.State.EXITED;
            done.exitCode = 0;
            int at = n;
            FakeSupervisor fake = new FakeSupervisor(calls -> {
                if (calls == at) {
                    store.write(done);   // took over, ran the command, recorded it, ended
                    return false;
                }
                return calls < at;
            });
            assertNull(AfterCommand.awaitTakeOver(store, e, fake, TimeUnit.SECONDS.toNanos(30)), "ended after look " + n);
            assertEquals(Entry.State.EXITED, store.read(e.id).orElseThrow().state, "its record is left as it is");
        }
    }

    @Test
    void aSupervisorThatEndsWithoutTakingOverIsReportedWithACodeAndRecorded() throws Exception {
        Store store = new Store(home.resolve("breakit"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // a "java" that ends at once with status 3, whatever it is given
        int status = Main.execute(new String[] {"after", "30s", "--", "true"},
                new Env(store, List.of("sh", "-c", "exit 3", "sh"), new PrintWriter(out, true), new PrintWriter(err, true)));
        assertEquals(125, status, err.toString());
        assertEquals("", out.toString());
        List<String> lines = err.toString().lines().toList();
        assertEquals(1, lines.size(), err.toString());
        assertTrue(lines.get(0).matches("breakit: BRKT014: the supervisor of [0-9a-f]{6} ended \\(status 3\\) before it took over; see .*\\.log"),
                lines.get(0));
        Entry e = store.list().get(0);
        assertEquals("exit 125; " + lines.get(0), e.status(), "ps shows why, not a phantom 'starting'");
    }

    @Test
    void aSupervisorThatDoesNotTakeOverInTimeIsStoppedAndRecorded() throws Exception {
        Store store = new Store(home.resolve("breakit"));
        Entry e = starting(store);
        started = new ProcessBuilder("sleep", "100").start();   // alive, never writes
        String why = AfterCommand.awaitTakeOver(store, e, started, TimeUnit.MILLISECONDS.toNanos(100));
        assertEquals("BRKT014: the supervisor of " + e.id + " did not take over within 100ms and was stopped; see "
                + store.log(e.id), why);
        assertFalse(started.isAlive(), "stopped: no command starts after after reported a failure");
        Entry seen = store.read(e.id).orElseThrow();
        assertEquals("exit 125; breakit: " + why, seen.status());
    }

    /** A damaged entry has a .state but no .log: its id used to count as free. */
    @Test
    void aNewIdNeverTakesAnExistingStateFile() throws Exception {
        Path dir = home.resolve("breakit");
        Files.createDirectories(dir.resolve("0000e6.state"));   // a directory
        Files.writeString(dir.resolve("0000e1.state"), "garbage");
        int[] draws = {0xe6, 0xe1, 0xabc};
        int[] next = {0};
        Store store = new Store(dir, () -> draws[next[0]++]);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.execute(new String[] {"after", "30s", "--", "true"},
                new Env(store, Env.javaCommand(Cli.CLASS_PATH), new PrintWriter(out, true), new PrintWriter(err, true)));
        assertEquals(0, status, err.toString());   // was 125: BRKT013, the new state renamed onto the directory
        assertEquals("000abc", out.toString().strip());
        assertTrue(Files.isDirectory(dir.resolve("0000e6.state")));
        assertEquals("garbage", Files.readString(dir.resolve("0000e1.state")), "a damaged file is left for a person to see");
        assertFalse(Files.exists(dir.resolve("0000e6.log")));
        assertFalse(Files.exists(dir.resolve("0000e1.log")));
        Cli.eventually(Cli.BOUND, "000abc finished", () -> store.read("000abc").orElseThrow(), x -> !x.live());
    }

    /** Which look ends the fake supervisor: {@code alive(n)} answers the client's n-th liveness check (from 1). */
    interface Looks {
        boolean alive(int n) throws Exception;
    }

    /** A supervisor process as the client sees it: alive or not at each look; waits return at once. */
    private static final class FakeSupervisor extends Process {
        private final Looks looks;
        private int calls;
        private boolean ended;

        FakeSupervisor(Looks looks) {
            this.looks = looks;
        }

        @Override
        public boolean isAlive() {
            if (ended) {
                return false;
            }
            try {
                ended = !looks.alive(++calls);
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
            return !ended;
        }

        @Override
        public boolean waitFor(long timeout, TimeUnit unit) {
            return ended;
        }

        @Override
        public int waitFor() {
            return 0;
        }

        @Override
        public int exitValue() {
            if (!ended) {
                throw new IllegalThreadStateException("running");
            }
            return 0;
        }

        @Override
        public void destroy() {
            ended = true;
        }

        @Override
        public OutputStream getOutputStream() {
            return OutputStream.nullOutputStream();
        }

        @Override
        public InputStream getInputStream() {
            return InputStream.nullInputStream();
        }

        @Override
        public InputStream getErrorStream() {
            return InputStream.nullInputStream();
        }
    }
}
