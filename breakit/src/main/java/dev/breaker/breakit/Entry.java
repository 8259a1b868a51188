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
    /** Why the state file could not be read whole (empty, garbage, a directory…); null if it could. */
    String corrupt;

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
        if (corrupt != null) {
            return "corrupt";
        }
        if (!state.finished() && !supervisorRunning()) {
            return "lost";
        }
        return state.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Still to be shown by a plain {@code ps}: not finished, or corrupt (nobody knows). */
    boolean live() {
        return corrupt != null || !state.finished();
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
            case "corrupt":
                return "corrupt: " + corrupt;
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

    /**
     * The entry in {@code p}, read from the file of entry {@code fileId}. Never fails: what
     * cannot be read is left at its default and the entry is marked {@link #corrupt}.
     */
    static Entry fromProperties(Properties p, String fileId) {
        Entry e = new Entry();
        List<String> bad = new ArrayList<>();
        e.id = p.getProperty("id");
        if (e.id == null || !e.id.equals(fileId)) {
            bad.add(e.id == null ? "no id" : "id " + e.id + " in the file of " + fileId);
            e.id = fileId;
        }
        List<String> cmd = new ArrayList<>();
        for (int i = 0; p.getProperty("command." + i) != null; i++) {
            cmd.add(p.getProperty("command." + i));
        }
        e.command = List.copyOf(cmd);
        if (cmd.isEmpty()) {
            bad.add("no command");
        }
        e.createdAt = field(p, "createdAt", bad, true, Instant::parse, null);
        e.startAt = field(p, "startAt", bad, false, Instant::parse, null);
        e.deadline = field(p, "deadline", bad, false, Instant::parse, null);
        e.grace = field(p, "grace", bad, false, Duration::parse, Duration.ZERO);
        e.state = field(p, "state", bad, true, State::valueOf, State.STARTING);
        e.supervisorPid = field(p, "supervisorPid", bad, false, Long::parseLong, 0L);
        e.supervisorStart = field(p, "supervisorStart", bad, false, Long::parseLong, 0L);
        e.pid = field(p, "pid", bad, false, Long::parseLong, 0L);
        e.pidStart = field(p, "pidStart", bad, false, Long::parseLong, 0L);
        e.startedAt = field(p, "startedAt", bad, false, Instant::parse, null);
        e.endedAt = field(p, "endedAt", bad, false, Instant::parse, null);
        e.exitCode = field(p, "exitCode", bad, false, Integer::parseInt, -1);
        e.lastLine = p.getProperty("lastLine");
        e.stopReason = p.getProperty("stopReason");
        if (!bad.isEmpty()) {
            e.corrupt = String.join(", ", bad);
        }
        return e;
    }

    /** An entry for a state file that could not be read at all. */
    static Entry unreadable(String fileId, String why) {
        Entry e = new Entry();
        e.id = fileId;
        e.corrupt = why;
        return e;
    }

    private static <T> T field(Properties p, String key, List<String> bad, boolean required,
                               java.util.function.Function<String, T> parse, T otherwise) {
        String v = p.getProperty(key);
        if (v == null) {
            if (required) {
                bad.add("no " + key);
            }
            return otherwise;
        }
        try {
            return parse.apply(v.strip());
        } catch (RuntimeException ex) {
            bad.add("bad " + key + " '" + (v.length() > 20 ? v.substring(0, 20) + "..." : v) + "'");
            return otherwise;
        }
    }

    private static void put(Properties p, String key, Instant value) {
        if (value != null) {
            p.setProperty(key, value.toString());
        }
    }

}
