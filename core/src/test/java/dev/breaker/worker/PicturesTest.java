package dev.breaker.worker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pictures of a real 100-worker DAG (as random as the TCK's {@code Dag100}: node i depends
 * only on nodes before it) and of its real shutdown: every node, every edge, every duration.
 */
@Timeout(120)
class PicturesTest {
    static {
        QuietLogs.apply();
    }

    private static final int N = 100;
    private static final Duration SLOW = Duration.ofMillis(8);
    private static final Duration HUNG_TIMEOUT = Duration.ofMillis(60);

    /** Name to the names it depends on; seeded, so the same graph every run. */
    private static Map<String, List<String>> dag() {
        Random random = new Random(20250501);
        Map<String, List<String>> deps = new LinkedHashMap<>();
        for (int i = 0; i < N; i++) {
            List<String> d = new ArrayList<>();
            for (int j = Math.max(0, i - 12); j < i; j++) {
                if (random.nextInt(5) == 0) {
                    d.add(name(j));
                }
            }
            deps.put(name(i), d);
        }
        return deps;
    }

    private static String name(int i) {
        return String.format("n%03d", i);
    }

    @Test
    void theGraphAndItsShutdownAsPictures() throws Exception {
        Map<String, List<String>> deps = dag();
        int edges = deps.values().stream().mapToInt(List::size).sum();
        assertTrue(edges > 100, "a thin DAG: " + edges);
        CountDownLatch never = new CountDownLatch(1);
        WorkerGraph.Builder b = WorkerGraph.builder();
        for (Map.Entry<String, List<String>> e : deps.entrySet()) {
            int i = Integer.parseInt(e.getKey().substring(1));
            WorkerSpec.Builder w = WorkerSpec.builder(e.getKey()).dependsOn(e.getValue()).onStart(ctx -> { });
            if (i == 42) {
                w.onStop(ctx -> never.await()).stopTimeout(HUNG_TIMEOUT); // overruns, given up on
            } else if (i % 10 == 0) {
                w.onStop(ctx -> dev.breaker.Breaker.byTimeout(SLOW).await());
            } else {
                w.onStop(ctx -> { });
            }
            b.worker(w.build());
        }
        WorkerGraph graph = b.build();

        // the graph, before it even started
        String dot = graph.toDot();
        String mermaid = graph.toMermaid();
        List<String> dotNodes = lines(dot, "^  \"(n\\d{3})\";$");
        assertEquals(new ArrayList<>(deps.keySet()), dotNodes);
        Set<String> expectedEdges = new TreeSet<>();
        deps.forEach((n, ds) -> ds.forEach(d -> expectedEdges.add(n + "->" + d)));
        Set<String> dotEdges = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^  \"(n\\d{3})\" -> \"(n\\d{3})\";$").matcher(dot);
        while (m.find()) {
            dotEdges.add(m.group(1) + "->" + m.group(2));
        }
        assertEquals(expectedEdges, dotEdges);
        assertEquals(edges, count(dot, "->"), "an edge twice, or one to the job runner");
        assertTrue(dot.startsWith("digraph workers {\n") && dot.endsWith("}\n"), dot);

        Map<String, String> ids = new HashMap<>();
        Matcher mn = Pattern.compile("(?m)^  (w\\d+)\\[\"(n\\d{3})\"\\]$").matcher(mermaid);
        while (mn.find()) {
            ids.put(mn.group(1), mn.group(2));
        }
        assertEquals(new TreeSet<>(deps.keySet()), new TreeSet<>(ids.values()));
        Set<String> mermaidEdges = new TreeSet<>();
        Matcher me = Pattern.compile("(?m)^  (w\\d+) --> (w\\d+)$").matcher(mermaid);
        while (me.find()) {
            mermaidEdges.add(ids.get(me.group(1)) + "->" + ids.get(me.group(2)));
        }
        assertEquals(expectedEdges, mermaidEdges);
        assertEquals(edges, count(mermaid, "-->"));

        // a real shutdown, and its timeline
        graph.start();
        ShutdownReport report;
        try {
            report = graph.shutdown();
        } finally {
            never.countDown();
        }
        assertEquals(Set.of("n042"), report.timedOut());
        Map<String, ShutdownReport.WorkerStop> stops = report.stops().stream()
                .collect(Collectors.toMap(ShutdownReport.WorkerStop::worker, s -> s));
        assertEquals(N + 1, stops.size(), "every worker and the job runner");
        for (Map.Entry<String, List<String>> e : deps.entrySet()) {
            ShutdownReport.WorkerStop s = stops.get(e.getKey());
            int i = Integer.parseInt(e.getKey().substring(1));
            assertEquals(i == 42 ? ShutdownReport.Outcome.TIMED_OUT : ShutdownReport.Outcome.STOPPED, s.outcome(), s::toString);
            assertEquals(Set.copyOf(e.getValue()), s.dependsOn());
            if (i == 42) {
                assertTrue(s.took().compareTo(HUNG_TIMEOUT.minusMillis(1)) >= 0, s::toString);
            } else if (i % 10 == 0) {
                assertTrue(s.took().compareTo(SLOW.minusMillis(1)) >= 0, s::toString);
            }
            for (String d : e.getValue()) { // a dependency's stop begins once this one's has ended (or was given up on)
                ShutdownReport.WorkerStop dep = stops.get(d);
                assertTrue(dep.began().compareTo(s.began().plus(s.took())) >= 0, () -> dep + " before " + s);
            }
            assertTrue(s.began().plus(s.took()).compareTo(report.elapsed()) <= 0, s::toString);
        }

        String gantt = report.toMermaidGantt();
        assertTrue(gantt.startsWith("gantt\n  title Shutdown in " + report.elapsed().toMillis() + " ms, 1 overran\n"
                + "  dateFormat x\n"), gantt);
        Pattern bar = Pattern.compile("(?m)^  (\\S+) (.*?)(\\d+(?:\\.\\d)?) ms :(done|crit|active), s\\d+, (\\d+), (\\d+)$");
        Matcher mb = bar.matcher(gantt);
        Map<String, String[]> bars = new HashMap<>();
        while (mb.find()) {
            bars.put(mb.group(1), new String[] {mb.group(2), mb.group(3), mb.group(4), mb.group(5), mb.group(6)});
        }
        assertEquals(stops.keySet(), bars.keySet(), gantt);
        for (ShutdownReport.WorkerStop s : report.stops()) {
            String[] g = bars.get(s.worker());
            boolean hung = s.worker().equals("n042");
            assertEquals(hung ? "overran, given up after " : "", g[0], s.worker());
            assertEquals(hung ? "crit" : "done", g[2], s.worker());
            double shown = Double.parseDouble(g[1]);
            assertEquals(s.took().toNanos() / 1e6, shown, 1.0, s.worker()); // the label: its duration
            assertEquals(s.began().toMillis(), Long.parseLong(g[3]), s.worker()); // the bar: where and how long
            assertEquals(Math.max(s.began().plus(s.took()).toMillis(), s.began().toMillis() + 1), Long.parseLong(g[4]), s.worker());
        }
        assertEquals(N + 1, count(gantt, " :"), "one bar per worker: " + gantt);

        String keep = System.getProperty("breaker.pictures.dir"); // to look at them, or feed them to Mermaid's parser
        if (keep != null) {
            java.nio.file.Files.writeString(java.nio.file.Path.of(keep, "dag100.dot"), dot);
            java.nio.file.Files.writeString(java.nio.file.Path.of(keep, "dag100.mmd"), mermaid);
            java.nio.file.Files.writeString(java.nio.file.Path.of(keep, "dag100-shutdown.mmd"), gantt);
        }
    }

    @Test
    void namesThatWouldBreakThePicturesAreEscaped() {
        WorkerGraph graph = WorkerGraph.builder()
                .worker(WorkerSpec.builder("a \"quoted\" \\ name").onStart(c -> { }).build())
                .worker(WorkerSpec.builder("b: #1; x").dependsOn("a \"quoted\" \\ name").onStart(c -> { }).build())
                .build();
        assertTrue(graph.toDot().contains("  \"b: #1; x\" -> \"a \\\"quoted\\\" \\\\ name\";\n"), graph.toDot());
        assertTrue(graph.toMermaid().contains("[\"a #quot;quoted#quot; \\ name\"]"), graph.toMermaid());
        graph.start();
        String gantt = graph.shutdown().toMermaidGantt();
        assertTrue(gantt.contains("\n  b.  1, x "), gantt); // no colon (which ends a task name), hash or semicolon
        assertEquals(3, count(gantt, " :"), gantt); // the two workers and the job runner: no ':' left in a name
    }

    private static List<String> lines(String text, String regex) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)" + regex).matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + what.length())) {
            n++;
        }
        return n;
    }
}
