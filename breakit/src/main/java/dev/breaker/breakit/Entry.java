package dev.breaker.breakit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * What is known of one {@code after} command: one file in the state directory. The {@code after}
 * client writes the first version; from then on only its supervisor writes it (or {@code stop}
 * once the supervisor is lost), always whole and by atomic rename.
 */
final class Entry {
    /** What the supervisor last wrote. {@link #view()} adds {@code lost}. */
    enum State {
        STARTING, DELAYED, RUNNING, EXITED, STOPPED, KILLED;

        boolean finished() {
            return this == EXITED || this == STOPPED || this == KILLED;
        }
    }

    String id;
    List<String> command = List.of();
    Instant createdAt;
    Instant startAt;           // planned start: createdAt + delay
    Instant deadline;          // createdAt + duration
    Duration grace = Duration.ZERO;
    State state = State.STARTING;
    long supervisorPid;
    long supervisorStart;      // epoch ms, against pid reuse
    long pid;
    long pidStart;
    Instant startedAt;
    Instant endedAt;
    int exitCode = -1;
    String lastLine;           // last line of the command's stderr, or why it could not start
    String stopReason;         // "deadline" or "request"

    String commandLine() {
        return command.stream().map(Entry::quote).collect(Collectors.joining(" "));
    }

    private static String quote(String arg) {
        if (!arg.isEmpty() && arg.chars().allMatch(c -> Character.isLetterOrDigit(c) || "-_./=:,+@%".indexOf(c) >= 0)) {
            return arg;
        }
        return "'" + arg.replace("'", "'\\''") + "'";
    }

    /** The status as ps shows it: the state, or lost when the supervisor died before finishing. */
    String view() {
        if (!state.finished() && !supervisorRunning()) {
            return "lost";
        }
        return state.name().toLowerCase(java.util.Locale.ROOT);
    }

    boolean live() {
        return !state.finished();
    }

    boolean supervisorRunning() {
        if (supervisorPid == 0) {
            // between the after command and the supervisor's first write: allow it a minute
            return createdAt != null && createdAt.plusSeconds(60).isAfter(Instant.now());
        }
        return handle(supervisorPid, supervisorStart).isPresent();
    }

    /** The running process {@code pid} if it is still the one that started at {@code startMs}. */
    static Optional<ProcessHandle> handle(long pid, long startMs) {
        return ProcessHandle.of(pid)
                .filter(ProcessTree::running)
                .filter(h -> startMs == 0 || h.info().startInstant()
                        .map(s -> Math.abs(s.toEpochMilli() - startMs) <= 1000).orElse(true));
    }

    static long startOf(ProcessHandle h) {
        return h.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }

    /** The Status column: {@code running}, {@code exit 1; panic: ...}, {@code stopped after 10m}. */
    String status() {
        String v = view();
        switch (v) {
            case "exited":
                return "exit " + exitCode + (lastLine == null || lastLine.isBlank() ? "" : "; " + lastLine);
            case "stopped":
                if (startedAt == null) {
                    return "stopped before start";
                }
                return ("request".equals(stopReason) ? "stopped on request after " : "stopped after ")
                        + Durations.format(Duration.between(startedAt, endedAt));
            default:
                return v;
        }
    }

    Properties toProperties() {
        Properties p = new Properties();
        p.setProperty("id", id);
        for (int i = 0; i < command.size(); i++) {
            p.setProperty("command." + i, command.get(i));
        }
        put(p, "createdAt", createdAt);
        put(p, "startAt", startAt);
        put(p, "deadline", deadline);
        p.setProperty("grace", grace.toString());
        p.setProperty("state", state.name());
        p.setProperty("supervisorPid", Long.toString(supervisorPid));
        p.setProperty("supervisorStart", Long.toString(supervisorStart));
        p.setProperty("pid", Long.toString(pid));
        p.setProperty("pidStart", Long.toString(pidStart));
        put(p, "startedAt", startedAt);
        put(p, "endedAt", endedAt);
        p.setProperty("exitCode", Integer.toString(exitCode));
        if (lastLine != null) {
            p.setProperty("lastLine", lastLine);
        }
        if (stopReason != null) {
            p.setProperty("stopReason", stopReason);
        }
        return p;
    }

    static Entry fromProperties(Properties p) {
        Entry e = new Entry();
        e.id = p.getProperty("id");
        List<String> cmd = new ArrayList<>();
        for (int i = 0; p.getProperty("command." + i) != null; i++) {
            cmd.add(p.getProperty("command." + i));
        }
        e.command = List.copyOf(cmd);
        e.createdAt = instant(p, "createdAt");
        e.startAt = instant(p, "startAt");
        e.deadline = instant(p, "deadline");
        e.grace = Duration.parse(p.getProperty("grace", "PT0S"));
        e.state = State.valueOf(p.getProperty("state", "STARTING"));
        e.supervisorPid = Long.parseLong(p.getProperty("supervisorPid", "0"));
        e.supervisorStart = Long.parseLong(p.getProperty("supervisorStart", "0"));
        e.pid = Long.parseLong(p.getProperty("pid", "0"));
        e.pidStart = Long.parseLong(p.getProperty("pidStart", "0"));
        e.startedAt = instant(p, "startedAt");
        e.endedAt = instant(p, "endedAt");
        e.exitCode = Integer.parseInt(p.getProperty("exitCode", "-1"));
        e.lastLine = p.getProperty("lastLine");
        e.stopReason = p.getProperty("stopReason");
        return e;
    }

    private static void put(Properties p, String key, Instant value) {
        if (value != null) {
            p.setProperty(key, value.toString());
        }
    }

    private static Instant instant(Properties p, String key) {
        String v = p.getProperty(key);
        return v == null ? null : Instant.parse(v);
    }
}
