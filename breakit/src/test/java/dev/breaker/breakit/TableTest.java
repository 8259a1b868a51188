package dev.breaker.breakit;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The seed's ps table and the JSON, on entries made by hand (live ones name this JVM as supervisor). */
class TableTest {
    private static final Instant T0 = Instant.parse("2021-01-07T21:02:21Z");

    private static Entry entry(String id, Entry.State state, Instant created, Duration delay, String... command) {
        Entry e = new Entry();
        e.id = id;
        e.command = List.of(command);
        e.createdAt = created;
        e.startAt = created.plus(delay);
        e.deadline = created.plus(Duration.ofMinutes(10));
        e.state = state;
        ProcessHandle self = ProcessHandle.current();
        e.supervisorPid = self.pid();
        e.supervisorStart = Entry.startOf(self);
        if (state != Entry.State.DELAYED) {
            e.startedAt = e.startAt;
        }
        return e;
    }

    @Test
    void theSeedsTable() {
        Entry failed = entry("a1b2c3", Entry.State.EXITED, T0.plusSeconds(15), Duration.ZERO, "server", "run", "--port=8080");
        failed.exitCode = 1;
        failed.lastLine = "panic: database connection refused on localhost:5432";
        failed.endedAt = T0.plusSeconds(16);
        Entry db = entry("d4e5f6", Entry.State.RUNNING, T0.plusSeconds(108), Duration.ZERO, "database", "run", "--port=5432");
        Entry server = entry("0789ab", Entry.State.DELAYED, T0.plusSeconds(124), Duration.ofSeconds(5), "server", "run", "--port=8080");
        String table = Table.render(List.of(failed, db, server), ZoneOffset.UTC);
        assertEquals(String.join("\n",
                "+--------+--------------------------+------------------------------------------+----------+----------+",
                "| Id     | Process                  | Status                                   | Since    | Until    |",
                "+--------+--------------------------+------------------------------------------+----------+----------+",
                "| a1b2c3 | server run --port=8080   | exit 1; panic: database connection re... | 21:02:36 | -        |",
                "| d4e5f6 | database run --port=5432 | running                                  | 21:04:09 | 21:14:09 |",
                "| 0789ab | server run --port=8080   | delayed                                  | 21:04:30 | 21:14:25 |",
                "+--------+--------------------------+------------------------------------------+----------+----------+",
                "|        |                          |                                          | Total    | 3        |",
                "+--------+--------------------------+------------------------------------------+----------+----------+",
                ""), table);
    }

    @Test
    void anEmptyTableStillHasItsTotal() {
        assertTrue(Table.render(List.of(), ZoneOffset.UTC).contains("| Total | 0     |"));
    }

    @Test
    void aDeadSupervisorMakesALiveEntryLost() {
        Entry e = entry("c0ffee", Entry.State.RUNNING, T0, Duration.ZERO, "sleep", "60");
        e.supervisorPid = Long.MAX_VALUE - 1;   // no such process
        assertEquals("lost", e.status());
        String table = Table.render(List.of(e), ZoneOffset.UTC);
        assertTrue(table.contains("| lost   | 21:02:21 | -     |"), table);
    }

    @Test
    void argumentsThatNeedQuotesAreQuotedAndJsonIsEscaped() {
        Entry e = entry("beef00", Entry.State.RUNNING, T0, Duration.ZERO, "sh", "-c", "echo \"it's\"\tdone");
        assertEquals("sh -c 'echo \"it'\\''s\"\tdone'", e.commandLine());
        String json = Json.render(List.of(e));
        assertTrue(json.contains("\"command\": [\"sh\", \"-c\", \"echo \\\"it's\\\"\\tdone\"]"), json);
        assertEquals("[]", Json.render(List.of()));
    }
}
