package dev.breaker.breakit;

import java.time.Instant;
import java.util.List;

/** {@code breakit ps --json}: one array, one object per process, for scripts. */
final class Json {
    private Json() {
    }

    static String render(List<Entry> entries) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            b.append(i == 0 ? "\n  {" : ",\n  {");
            field(b, "id", e.id, true);
            b.append(", \"command\": [");
            for (int j = 0; j < e.command.size(); j++) {
                b.append(j == 0 ? "" : ", ").append(string(e.command.get(j)));
            }
            b.append(']');
            field(b, "state", e.view(), false);
            field(b, "status", e.status(), false);
            b.append(", \"exitCode\": ").append(e.state == Entry.State.EXITED || e.state.finished() && e.exitCode >= 0
                    ? Integer.toString(e.exitCode) : "null");
            field(b, "lastStderrLine", e.lastLine, false);
            field(b, "stopReason", e.stopReason, false);
            field(b, "createdAt", e.createdAt, false);
            field(b, "startAt", e.startAt, false);
            field(b, "startedAt", e.startedAt, false);
            field(b, "deadline", e.deadline, false);
            field(b, "endedAt", e.endedAt, false);
            b.append(", \"pid\": ").append(e.pid == 0 ? "null" : Long.toString(e.pid));
            b.append(", \"supervisorPid\": ").append(e.supervisorPid == 0 ? "null" : Long.toString(e.supervisorPid));
            b.append('}');
        }
        return b.append(entries.isEmpty() ? "]" : "\n]").toString();
    }

    private static void field(StringBuilder b, String name, Object value, boolean first) {
        b.append(first ? "" : ", ").append(string(name)).append(": ")
                .append(value == null ? "null" : string(value instanceof Instant ? value.toString() : (String) value));
    }

    static String string(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': b.append("\\\""); break;
                case '\\': b.append("\\\\"); break;
                case '\n': b.append("\\n"); break;
                case '\r': b.append("\\r"); break;
                case '\t': b.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
            }
        }
        return b.append('"').toString();
    }
}
