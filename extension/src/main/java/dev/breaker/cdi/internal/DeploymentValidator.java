package dev.breaker.cdi.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The deployment rules, written once for both extensions ("validate once, report twice"): each
 * side collects {@link WorkerCandidate}s and {@link BreakerInjection}s its own way, calls
 * {@link #validate}, and adapts the problem sink ({@code addDeploymentProblem} or
 * {@code Messages.error}). Every problem is reported; validation never stops at the first.
 * Stateless; thread-safe.
 */
public final class DeploymentValidator {
    private static final String APPLICATION_SCOPED = "jakarta.enterprise.context.ApplicationScoped";

    private DeploymentValidator() {
    }

    /**
     * Validates the workers and breaker injection points, reporting each problem to
     * {@code problems}, and returns the model the runtime uses (also when there were problems).
     */
    public static DeploymentModel validate(Collection<WorkerCandidate> candidates,
                                           Collection<BreakerInjection> injections,
                                           Consumer<String> problems) {
        // sorted by name, then class name; each name computed once (it is derived from the class name)
        List<Map.Entry<String, WorkerCandidate>> named = new ArrayList<>(candidates.size());
        for (WorkerCandidate w : candidates) {
            named.add(Map.entry(w.name(), w));
        }
        named.sort(Map.Entry.<String, WorkerCandidate>comparingByKey()
                .thenComparing(e -> e.getValue().className()));
        List<WorkerCandidate> workers = new ArrayList<>(named.size());
        named.forEach(e -> workers.add(e.getValue()));

        Map<String, WorkerCandidate> byName = new LinkedHashMap<>();
        Map<String, WorkerCandidate> byClass = new HashMap<>();
        for (WorkerCandidate w : workers) {
            if (!APPLICATION_SCOPED.equals(w.scope())) {
                problems.accept(Messages.workerScope(w));
            }
            WorkerCandidate clash = byName.putIfAbsent(w.name(), w);
            if (clash != null) {
                problems.accept(Messages.duplicateWorkerName(clash, w));
            }
            byClass.put(w.className(), w);
        }

        // implicit dependencies: which workers have a bean type that another worker injects
        Map<String, List<WorkerCandidate>> byType = new HashMap<>();
        Map<WorkerCandidate, Integer> order = new HashMap<>();
        for (WorkerCandidate w : workers) {
            order.put(w, order.size());
            for (String t : w.types()) {
                if (!t.equals("java.lang.Object")) {
                    byType.computeIfAbsent(t, k -> new ArrayList<>()).add(w);
                }
            }
        }
        Map<WorkerCandidate, Set<WorkerCandidate>> edges = new LinkedHashMap<>();
        for (WorkerCandidate w : workers) {
            Set<WorkerCandidate> deps = new LinkedHashSet<>();
            for (String target : w.dependsOn()) {
                WorkerCandidate dep = byClass.get(target);
                if (dep == null) {
                    problems.accept(Messages.dependsOnNonWorker(w, target));
                } else {
                    deps.add(dep);
                }
            }
            Set<WorkerCandidate> injected = new HashSet<>();
            for (String t : w.injectedTypes()) {
                for (WorkerCandidate other : byType.getOrDefault(t, List.of())) {
                    if (other != w) {
                        injected.add(other);
                    }
                }
            }
            injected.stream().sorted(Comparator.comparing(order::get)).forEach(deps::add);
            edges.put(w, deps);
        }
        for (List<WorkerCandidate> cycle : cycles(workers, edges)) {
            problems.accept(Messages.cycle(cycle));
        }

        for (BreakerInjection ip : injections) {
            if (!Names.BREAKER_NAME.matcher(ip.name()).matches()) {
                problems.accept(Messages.malformedBreakerName(ip));
            } else if (Names.RESERVED.contains(ip.name())) {
                problems.accept(Messages.reservedBreakerName(ip));
            }
        }

        List<WorkerDef> defs = new ArrayList<>();
        for (WorkerCandidate w : workers) {
            if (byName.get(w.name()) == w) {
                defs.add(new WorkerDef(w.name(), w.className(),
                        edges.get(w).stream().map(WorkerCandidate::name).sorted().distinct().toList()));
            }
        }
        Set<String> names = new TreeSet<>();
        injections.stream().map(BreakerInjection::name).filter(Names::isValidBreakerName).forEach(names::add);
        return new DeploymentModel(defs, List.copyOf(names));
    }

    /** Injecting {@code Object} (or an interface every bean has) is not a dependency. */
    /** The cycles found by one depth-first search (at least one per cyclic group), each path closed. */
    static List<List<WorkerCandidate>> cycles(List<WorkerCandidate> nodes,
                                               Map<WorkerCandidate, Set<WorkerCandidate>> edges) {
        List<List<WorkerCandidate>> found = new ArrayList<>();
        Set<WorkerCandidate> done = new HashSet<>();
        Set<Set<WorkerCandidate>> seen = new HashSet<>();
        for (WorkerCandidate start : nodes) {
            dfs(start, edges, new ArrayList<>(), new HashSet<>(), done, seen, found);
        }
        return found;
    }

    private static void dfs(WorkerCandidate node, Map<WorkerCandidate, Set<WorkerCandidate>> edges,
                            List<WorkerCandidate> path, Set<WorkerCandidate> onPath, Set<WorkerCandidate> done,
                            Set<Set<WorkerCandidate>> seen, List<List<WorkerCandidate>> found) {
        if (onPath.contains(node)) {
            List<WorkerCandidate> cycle = new ArrayList<>(path.subList(path.indexOf(node), path.size()));
            if (seen.add(new HashSet<>(cycle))) {
                cycle.add(node);
                found.add(cycle);
            }
            return;
        }
        if (done.contains(node)) {
            return;
        }
        path.add(node);
        onPath.add(node);
        for (WorkerCandidate next : edges.getOrDefault(node, Set.of())) {
            dfs(next, edges, path, onPath, done, seen, found);
        }
        onPath.remove(node);
        path.remove(path.size() - 1);
        done.add(node);
    }
}
