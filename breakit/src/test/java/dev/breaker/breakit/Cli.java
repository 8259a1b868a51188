package dev.breaker.breakit;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.fail;

/** Runs breakit in a JVM of its own (as a user would) or in this one, on a temporary state directory. */
final class Cli {
    static final String CLASS_PATH = System.getProperty("java.class.path");
    /** JVM start-up on two shared, busy cores takes seconds: every bound is generous. */
    static final Duration BOUND = Duration.ofSeconds(60);

    final Path home;
    final Store store;

    Cli(Path home) {
        this.home = home;
        this.store = new Store(home.resolve("breakit"));
    }

    record Result(int status, String out, String err, Duration elapsed) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(Env.javaCommand(CLASS_PATH));
        cmd.add(Breakit.class.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** A breakit JVM, started: stdout and stderr go to files under {@code home}. */
    Started start(String... args) throws IOException {
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command(args))
                .redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().put("XDG_STATE_HOME", home.toString());
        return new Started(pb.start(), out, err, System.nanoTime());
    }

    record Started(Process process, Path out, Path err, long startNanos) {
        Result await() throws Exception {
            if (!process.waitFor(BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
                ProcessTree.stop(process.toHandle(), "KILL", Duration.ZERO);
                fail("breakit did not end within " + BOUND + "; stderr: " + read(err));
            }
            return new Result(process.exitValue(), read(out), read(err), Duration.ofNanos(System.nanoTime() - startNanos));
        }

        String outSoFar() throws IOException {
            return read(out);
        }
    }

    /** breakit in its own JVM, to its end. */
    Result run(String... args) throws Exception {
        return start(args).await();
    }

    /** breakit in this JVM (no signal handling involved: ps, stop, logs, after's client, bad input). */
    Result inProcess(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long t0 = System.nanoTime();
        int status = Main.execute(args, new Env(store, Env.javaCommand(CLASS_PATH),
                new PrintWriter(out, true), new PrintWriter(err, true)));
        return new Result(status, out.toString(), err.toString(), Duration.ofNanos(System.nanoTime() - t0));
    }

    static String read(Path p) throws IOException {
        return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
    }

    /** Polls {@code probe} every 20 ms until {@code ok} holds, failing after {@code bound}. */
    static <T> T eventually(Duration bound, String what, Probe<T> probe, Predicate<T> ok) throws Exception {
        long end = System.nanoTime() + bound.toNanos();
        T last = probe.get();
        while (!ok.test(last)) {
            if (System.nanoTime() > end) {
                fail("not within " + bound + ": " + what + "; last seen: " + last);
            }
            Thread.sleep(20);
            last = probe.get();
        }
        return last;
    }

    interface Probe<T> {
        T get() throws Exception;
    }

    Entry entry(String id) throws IOException {
        return store.read(id).orElseThrow();
    }

    /** Process ids a test command wrote to {@code file}, one a line. */
    static List<Long> pids(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(String::strip).filter(s -> !s.isEmpty())
                .map(Long::parseLong).toList();
    }

    static boolean running(long pid) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        return h.isPresent() && ProcessTree.running(h.get());
    }

    /** Kills every supervisor and command the store knows of: no test leaves a process behind. */
    void killAll() throws IOException {
        for (Entry e : store.list()) {
            for (long pid : new long[] {e.supervisorPid, e.pid}) {
                if (pid != 0) {
                    ProcessHandle.of(pid).ifPresent(h -> {
                        h.descendants().forEach(ProcessHandle::destroyForcibly);
                        h.destroyForcibly();
                    });
                }
            }
        }
    }

    /** Whether {@code program} is on the PATH (tests that need it skip with one line if not). */
    static boolean has(String program) {
        return Launch.find(program, Path.of("")) != null;
    }

    /** How a process ended as its parent sees it: the signal it died of (0 if none), its exit status. */
    record Raw(long pid, int signal, int exit) {
    }

    /**
     * breakit (any of its command lines, e.g. {@link #command}) under a small perl parent that
     * records the raw wait status, which the JDK cannot tell apart: killed by SIGTERM or
     * {@code exit(143)}. Writes "pid N" then "raw SIG EXIT" to {@code report}.
     */
    Started startUnderPerl(Path report, List<String> cmd) throws IOException {
        List<String> all = new ArrayList<>(List.of("perl", "-e",
                "$r = shift @ARGV; open(R, '>', $r) or die; select(R); $| = 1; select(STDOUT);"
                        + " $p = fork(); if ($p == 0) { exec @ARGV or exit 127 }"
                        + " print R \"pid $p\\n\"; waitpid($p, 0); print R 'raw ', ($? & 127), ' ', ($? >> 8), \"\\n\";",
                report.toString()));
        all.addAll(cmd);
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(all).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().put("XDG_STATE_HOME", home.toString());
        return new Started(pb.start(), out, err, System.nanoTime());
    }

    /** The pid perl reported for its child (breakit), once it has. */
    static long childPid(Path report) throws Exception {
        String line = eventually(BOUND, "perl reported the pid", () -> Files.exists(report) ? Files.readString(report) : "",
                s -> s.startsWith("pid ") && s.contains("\n"));
        return Long.parseLong(line.substring(4, line.indexOf('\n')));
    }

    /** The raw status perl reported, after it ended. */
    static Raw raw(Path report) throws IOException {
        List<String> lines = Files.readAllLines(report);
        String[] f = lines.get(1).split(" ");
        return new Raw(Long.parseLong(lines.get(0).substring(4)), Integer.parseInt(f[1]), Integer.parseInt(f[2]));
    }

    /** The signals {@code pid} catches, from its {@code /proc/PID/status} line SigCgt. */
    static long caught(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("SigCgt:")) {
                return Long.parseUnsignedLong(line.substring(7).strip(), 16);
            }
        }
        return 0;
    }
}
