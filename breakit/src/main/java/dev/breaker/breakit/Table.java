package dev.breaker.breakit;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** The seed's {@code breakit ps} table, with an Id column in front for stop and logs. */
final class Table {
    static final int MAX_PROCESS = 40;
    static final int MAX_STATUS = 40;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private Table() {
    }

    static String render(List<Entry> entries, ZoneId zone) {
        List<String[]> rows = new ArrayList<>();
        for (Entry e : entries) {
            boolean live = !e.state.finished() && !e.view().equals("lost");
            rows.add(new String[] {
                    e.id,
                    cut(e.commandLine(), MAX_PROCESS),
                    cut(e.status(), MAX_STATUS),
                    clock(e.startedAt != null ? e.startedAt : e.startAt, zone),
                    live ? clock(e.deadline, zone) : "-"});
        }
        String[] header = {"Id", "Process", "Status", "Since", "Until"};
        String[] total = {"", "", "", "Total", Integer.toString(entries.size())};
        int[] width = new int[header.length];
        for (String[] r : concat(header, rows, total)) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        String rule = rule(width);
        b.append(rule).append(line(header, width)).append(rule);
        for (String[] r : rows) {
            b.append(line(r, width));
        }
        if (!rows.isEmpty()) {
            b.append(rule);
        }
        b.append(line(total, width)).append(rule);
        return b.toString();
    }

    private static List<String[]> concat(String[] header, List<String[]> rows, String[] total) {
        List<String[]> all = new ArrayList<>(rows);
        all.add(header);
        all.add(total);
        return all;
    }

    private static String rule(int[] width) {
        StringBuilder b = new StringBuilder("+");
        for (int w : width) {
            b.append("-".repeat(w + 2)).append('+');
        }
        return b.append('\n').toString();
    }

    private static String line(String[] cells, int[] width) {
        StringBuilder b = new StringBuilder("|");
        for (int i = 0; i < cells.length; i++) {
            b.append(' ').append(cells[i]).append(" ".repeat(width[i] - cells[i].length())).append(" |");
        }
        return b.append('\n').toString();
    }

    static String cut(String s, int max) {
        String one = s.replaceAll("[\\r\\n\\t]+", " ");
        return one.length() <= max ? one : one.substring(0, max - 3) + "...";
    }

    private static String clock(Instant t, ZoneId zone) {
        return t == null ? "-" : CLOCK.format(t.atZone(zone));
    }
}
