package dev.breaker.breakit;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

@Command(name = "after", mixinStandardHelpOptions = true,
        description = {"Runs a command in the background, detached, for a limited time.",
                "",
                "The command is stopped when <duration> has passed since now (a delay eats into it):",
                "SIGTERM to it and its children, SIGKILL after the grace. Prints an id at once;",
                "see breakit ps, breakit logs <id>, breakit stop <id>."})
final class AfterCommand implements Callable<Integer> {
    static final String USAGE = "breakit after [--grace <duration>] <duration> [delay <duration>] -- <command> [args...]";
    private static final long HANDSHAKE_MS = 30_000;

    private final Env env;

    @ParentCommand
    Main parent;

    @Option(names = "--grace", paramLabel = "<duration>", defaultValue = "5s",
            description = "How long the command has to end after SIGTERM before SIGKILL (default: ${DEFAULT-VALUE}).")
    String grace;

    @Option(names = "--foreground", description = "Run in the foreground instead, as breakit run does (same exit statuses).")
    boolean foreground;

    @Parameters(paramLabel = "<duration> [delay <duration>] -- <command>", arity = "1..*",
            description = "How long from now the command may run, an optional delay before it starts, then -- and the command.")
    List<String> words = new ArrayList<>();

    AfterCommand(Env env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        Main.Split split = Main.split(parent.args, words, USAGE);
        List<String> before = split.before();
        if (before.size() != 1 && !(before.size() == 3 && before.get(1).equals("delay"))) {
            throw new BadInput("BRKT005: expected <duration> [delay <duration>] before '--', got " + before + ": " + USAGE);
        }
        Duration limit = Durations.parsePositive(before.get(0), "duration");
        Duration delay = before.size() == 3 ? Durations.parse(before.get(2), "delay") : Duration.ZERO;
        Duration graceTime = Durations.parse(grace, "--grace");
        if (delay.compareTo(limit) >= 0) {
            throw new BadInput("BRKT005: delay " + before.get(2) + " is not shorter than the duration " + before.get(0)
                    + ": the command would never run");
        }
        if (foreground) {
            Trap.arm();
            Timeout t = new Timeout(env.err());
            t.command = split.command();
            t.limit = limit.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : limit.toNanos();
            t.delay = delay.toNanos();
            t.killAfter = graceTime.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : graceTime.toNanos();
            t.foreground = true;   // as before: the command shares breakit's process group and terminal
            int status = t.run();
            return status < 0 ? 128 - status : status;
        }

        Store store = env.store();
        Instant now = Instant.now();
        Entry entry = new Entry();
        entry.id = store.reserveId();
        entry.command = split.command();
        entry.createdAt = now;
        entry.startAt = now.plus(delay);
        entry.deadline = now.plus(limit);
        entry.grace = graceTime;
        entry.state = Entry.State.STARTING;
        store.write(entry);

        List<String> supervisor = new ArrayList<>();
        Env.setsid().ifPresent(supervisor::add);   // a session of its own: no SIGHUP from this terminal
        supervisor.addAll(env.java());
        supervisor.add(Breakit.class.getName());
        supervisor.addAll(List.of("supervise", "--state", store.dir().toString(), entry.id));
        Process process = new ProcessBuilder(supervisor)
                .redirectInput(new File("/dev/null"))
                .redirectOutput(java.lang.ProcessBuilder.Redirect.appendTo(store.log(entry.id).toFile()))
                .redirectErrorStream(true)
                .start();

        // returns once the supervisor has taken over (it writes its pid), so that ps is right at once
        String failed = awaitTakeOver(store, entry, process, TimeUnit.MILLISECONDS.toNanos(HANDSHAKE_MS));
        if (failed != null) {
            env.err().println("breakit: " + failed);
            return Main.FAILED;
        }
        env.out().println(entry.id);
        return 0;
    }

    /**
     * Waits until the supervisor {@code process} has taken over {@code entry} (written its pid
     * there): null, or why it did not, as a {@code BRKT014} message. A supervisor that has not
     * taken over within {@code boundNanos} is stopped (SIGTERM, SIGKILL if it does not end), so
     * that no command starts after {@code after} reported a failure. Once the supervisor has
     * ended without taking over, this is the only writer of the entry left and records the
     * failure in it.
     */
    static String awaitTakeOver(Store store, Entry entry, Process process, long boundNanos) throws Exception {
        long end = System.nanoTime() + boundNanos;
        while (true) {
            // Asked BEFORE the state is read: a supervisor that ended before the read has written
            // all it ever will. (Asked after it, a supervisor that took over, ran a quick command
            // and ended between the two was taken for one that never started.)
            boolean ended = !process.isAlive();
            Optional<Entry> seen = store.read(entry.id);
            if (seen.isPresent() && seen.get().supervisorPid != 0) {
                return null;
            }
            if (ended) {
                return failed(store, entry, seen, "BRKT014: the supervisor of " + entry.id
                        + " ended (status " + process.exitValue() + ") before it took over; see " + store.log(entry.id));
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                break;
            }
            // the state file is polled; the supervisor's end cuts the wait short
            process.waitFor(Math.min(left, TimeUnit.MILLISECONDS.toNanos(10)), TimeUnit.NANOSECONDS);
        }
        process.destroy();   // SIGTERM: a supervisor that took over meanwhile records the stop
        if (!process.waitFor(entry.grace.toMillis() + 30_000, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        String why = "BRKT014: the supervisor of " + entry.id + " did not take over within "
                + Durations.format(Duration.ofNanos(boundNanos)) + " and was stopped; see " + store.log(entry.id);
        return failed(store, entry, store.read(entry.id), why);
    }

    /** {@code why}, recorded in the entry if the (ended) supervisor never wrote it: ps shows it as exit 125. */
    private static String failed(Store store, Entry entry, Optional<Entry> seen, String why) throws Exception {
        if (seen.isPresent() && seen.get().corrupt == null && seen.get().supervisorPid == 0 && !seen.get().state.finished()) {
            entry.state = Entry.State.EXITED;
            entry.exitCode = Main.FAILED;
            entry.lastLine = "breakit: " + why;
            entry.endedAt = Instant.now();
            store.write(entry);
        }
        return why;
    }
}
