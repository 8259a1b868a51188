package dev.breaker.worker.internal;

import dev.breaker.worker.ShutdownReport;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Text pictures of a worker graph (Graphviz DOT, Mermaid flowchart) and of a shutdown (Mermaid
 * Gantt chart). Stateless; safe from any thread.
 */
public final class Pictures {
    private Pictures() {
    }

    /**
     * The workers and their dependencies as a Graphviz digraph: an edge from each worker to each
     * worker it depends on. The default job runner, which depends on every worker, is left out.
     */
    public static String dot(GraphEngine g) {
        StringBuilder sb = new StringBuilder("digraph workers {\n  rankdir=BT;\n  node [shape=box];\n");
        List<Node> nodes = declared(g);
        for (Node n : nodes) {
            sb.append("  ").append(dotId(n.name)).append(";\n");
        }
        for (Node n : nodes) {
            for (String d : n.spec.dependsOn()) {
                sb.append("  ").append(dotId(n.name)).append(" -> ").append(dotId(d)).append(";\n");
            }
        }
        return sb.append("}\n").toString();
    }

    /** The same graph as a Mermaid flowchart (nodes {@code w0}, {@code w1}, … labelled with the names). */
    public static String mermaid(GraphEngine g) {
        StringBuilder sb = new StringBuilder("flowchart BT\n");
        List<Node> nodes = declared(g);
        for (Node n : nodes) {
            sb.append("  w").append(n.index).append("[\"").append(mermaidText(n.name)).append("\"]\n");
        }
        for (Node n : nodes) {
            for (Node d : n.dependencies) {
                sb.append("  w").append(n.index).append(" --> w").append(d.index).append('\n');
            }
        }
        return sb.toString();
    }

    /** See {@link ShutdownReport#toMermaidGantt()}. */
    public static String gantt(ShutdownReport report) {
        StringBuilder sb = new StringBuilder("gantt\n");
        sb.append("  title Shutdown in ").append(report.elapsed().toMillis()).append(" ms")
                .append(report.clean() ? ", clean" : summary(report)).append('\n');
        sb.append("  dateFormat x\n  axisFormat %S.%L s\n");
        List<ShutdownReport.WorkerStop> stops = new ArrayList<>(report.stops());
        stops.sort(Comparator.comparing(ShutdownReport.WorkerStop::began)); // stable: declaration order among equals
        List<String> notRunning = new ArrayList<>();
        sb.append("  section stops\n");
        int id = 0;
        for (ShutdownReport.WorkerStop s : stops) {
            if (s.outcome() == ShutdownReport.Outcome.NOT_RUNNING) {
                notRunning.add(s.worker());
                continue;
            }
            long from = s.began().toMillis();
            String label = ganttText(s.worker());
            if (s.outcome() == ShutdownReport.Outcome.NOT_STOPPED) {
                sb.append("  ").append(label).append(" not stopped :crit, milestone, s").append(id++).append(", ")
                        .append(from).append(", 0\n");
                continue;
            }
            long to = Math.max(s.began().plus(s.took()).toMillis(), from + 1); // a bar at least 1 ms wide
            String tag;
            String what;
            switch (s.outcome()) {
                case TIMED_OUT:
                    tag = "crit, ";
                    what = " overran, given up after ";
                    break;
                case FAILED:
                    tag = "active, ";
                    what = " failed after ";
                    break;
                default:
                    tag = "done, ";
                    what = " ";
            }
            sb.append("  ").append(label).append(what).append(millis(s.took())).append(" :").append(tag)
                    .append('s').append(id++).append(", ").append(from).append(", ").append(to).append('\n');
        }
        if (!notRunning.isEmpty()) {
            sb.append("  %% not running, nothing to stop: ").append(String.join(", ", notRunning)).append('\n');
        }
        return sb.toString();
    }

    private static String summary(ShutdownReport r) {
        StringBuilder sb = new StringBuilder();
        if (!r.timedOut().isEmpty()) {
            sb.append(", ").append(r.timedOut().size()).append(" overran");
        }
        if (!r.failures().isEmpty()) {
            sb.append(", ").append(r.failures().size()).append(" failed");
        }
        if (!r.abandonedThreads().isEmpty()) {
            sb.append(", ").append(r.abandonedThreads().size()).append(" threads abandoned");
        }
        if (r.cause().isPresent()) {
            sb.append(", with a cause");
        }
        return ganttText(sb.toString());
    }

    /** {@code 12 ms}, or {@code 0.4 ms} under one millisecond. */
    static String millis(java.time.Duration d) {
        long micros = d.toNanos() / 1_000L;
        if (micros >= 1000) {
            return d.toMillis() + " ms";
        }
        return "0." + (micros / 100) + " ms";
    }

    /** The workers as declared: every node but the default job runner. */
    private static List<Node> declared(GraphEngine g) {
        List<Node> list = new ArrayList<>(g.nodes.size());
        for (Node n : g.nodes) {
            if (!n.name.equals(Messages.DEFAULT_JOBS)) {
                list.add(n);
            }
        }
        return list;
    }

    private static String dotId(String name) {
        return '"' + name.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }

    private static String mermaidText(String name) {
        return name.replace("\"", "#quot;").replace("\n", " ");
    }

    /** A Gantt task name may not contain ':' (which ends it), '#' or ';' (comments), nor a line break. */
    private static String ganttText(String s) {
        return s.replace(':', '.').replace('#', ' ').replace(';', ',').replace('\n', ' ').replace('\r', ' ');
    }
}
