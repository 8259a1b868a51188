package dev.breaker.worker.internal;

import dev.breaker.worker.InvalidGraphException;
import dev.breaker.worker.WorkerSpec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates a set of worker specs and links them into {@link Node}s. Reports every problem at
 * once (duplicates, unknown dependencies, every distinct cycle with its whole path), in
 * declaration order. Not thread-safe; used once, by the builder.
 */
final class Topology {
    private Topology() {
    }

    /** The nodes, in declaration order, linked both ways. */
    static List<Node> link(List<WorkerSpec> specs) {
        List<String> problems = new ArrayList<>();
        Map<String, WorkerSpec> byName = new LinkedHashMap<>();
        Set<String> reported = new HashSet<>();
        for (WorkerSpec s : specs) {
            if (byName.putIfAbsent(s.name(), s) != null && reported.add(s.name())) {
                problems.add(Messages.duplicate(s.name()));
            }
        }
        for (WorkerSpec s : byName.values()) {
            for (String d : s.dependsOn()) {
                if (!byName.containsKey(d)) {
                    problems.add(Messages.unknownDependency(s.name(), d));
                }
            }
        }
        problems.addAll(cycles(byName));
        if (!problems.isEmpty()) {
            throw new InvalidGraphException(problems);
        }
        Map<String, Node> nodes = new LinkedHashMap<>();
        for (WorkerSpec s : byName.values()) {
            nodes.put(s.name(), new Node(nodes.size(), s));
        }
        for (Node n : nodes.values()) {
            for (String d : n.spec.dependsOn()) {
                Node dep = nodes.get(d);
                n.dependencies.add(dep);
                dep.dependents.add(n);
            }
        }
        return List.copyOf(nodes.values());
    }

    /** One line per distinct cycle, each starting where a depth-first walk in declaration order met it. */
    private static List<String> cycles(Map<String, WorkerSpec> byName) {
        List<String> found = new ArrayList<>();
        Set<Set<String>> seen = new HashSet<>();
        Set<String> done = new HashSet<>();
        for (String root : byName.keySet()) {
            if (done.contains(root)) {
                continue;
            }
            // iterative DFS: stack of (name, iterator over its dependencies)
            List<String> path = new ArrayList<>();
            Set<String> onPath = new LinkedHashSet<>();
            List<java.util.Iterator<String>> its = new ArrayList<>();
            path.add(root);
            onPath.add(root);
            its.add(byName.get(root).dependsOn().iterator());
            while (!path.isEmpty()) {
                java.util.Iterator<String> it = its.get(its.size() - 1);
                if (!it.hasNext()) {
                    String n = path.remove(path.size() - 1);
                    its.remove(its.size() - 1);
                    onPath.remove(n);
                    done.add(n);
                    continue;
                }
                String d = it.next();
                if (!byName.containsKey(d) || done.contains(d)) {
                    continue;
                }
                if (onPath.contains(d)) {
                    List<String> cycle = new ArrayList<>(path.subList(path.indexOf(d), path.size()));
                    if (seen.add(new HashSet<>(cycle) )) {
                        cycle.add(d);
                        found.add(Messages.cycle(cycle));
                    }
                    continue;
                }
                path.add(d);
                onPath.add(d);
                its.add(byName.get(d).dependsOn().iterator());
            }
        }
        return found;
    }
}
