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
        cmd.add(Main.class.getName());
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
}
