package dev.breaker.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A dependency graph to shut down: node {@code i} depends on {@code deps[i]} (every dependency
 * has a smaller index, so the index order is a start order and its reverse a stop order). A
 * dependent must have stopped before any of its dependencies starts to stop.
 */
final class GraphShape {
    final String name;
    final int[][] deps;

    private GraphShape(String name, int[][] deps) {
        this.name = name;
        this.deps = deps;
    }

    int size() {
        return deps.length;
    }

    static GraphShape named(String name) {
        switch (name) {
            case "chain10":
                return chain(10);
            case "diamond":
                return diamond();
            case "independent1000":
                return independent(1000);
            case "randomDag200":
                return randomDag(200, 0xB4EA4E4L);
            default:
                throw new IllegalArgumentException("unknown shape " + name);
        }
    }

    /** 0 <- 1 <- 2 ... <- n-1: n stops one after the other. */
    static GraphShape chain(int n) {
        int[][] deps = new int[n][];
        deps[0] = new int[0];
        for (int i = 1; i < n; i++) {
            deps[i] = new int[] {i - 1};
        }
        return new GraphShape("chain" + n, deps);
    }

    /** 0 <- {1, 2} <- 3: three stops on the critical path. */
    static GraphShape diamond() {
        return new GraphShape("diamond", new int[][] {{}, {0}, {0}, {1, 2}});
    }

    static GraphShape independent(int n) {
        int[][] deps = new int[n][];
        Arrays.fill(deps, new int[0]);
        return new GraphShape("independent" + n, deps);
    }

    /** Each node depends on 0-3 random earlier nodes (fixed seed). */
    static GraphShape randomDag(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[][] deps = new int[n][];
        for (int i = 0; i < n; i++) {
            int k = i == 0 ? 0 : random.nextInt(Math.min(i, 3) + 1);
            deps[i] = random.ints(0, Math.max(i, 1)).distinct().limit(k).toArray();
        }
        return new GraphShape("randomDag" + n, deps);
    }

    /** Nodes that depend on each node: the ones that must stop first. */
    int[][] dependents() {
        List<List<Integer>> d = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            d.add(new ArrayList<>());
        }
        for (int i = 0; i < size(); i++) {
            for (int dep : deps[i]) {
                d.get(dep).add(i);
            }
        }
        int[][] out = new int[size()][];
        for (int i = 0; i < size(); i++) {
            out[i] = d.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
        return out;
    }

    /**
     * Stop phase of each node, Spring style: a node with no dependents stops in phase 0; a node
     * stops one phase after the last of its dependents.
     */
    int[] stopPhases() {
        int[][] dependents = dependents();
        int[] phase = new int[size()];
        for (int i = size() - 1; i >= 0; i--) { // dependents have larger indices
            for (int d : dependents[i]) {
                phase[i] = Math.max(phase[i], phase[d] + 1);
            }
        }
        return phase;
    }

    /** The longest chain of stop times that must run one after the other. */
    long criticalPathNanos(long[] stopNanos) {
        int[][] dependents = dependents();
        long[] finish = new long[size()];
        long longest = 0;
        for (int i = size() - 1; i >= 0; i--) {
            long start = 0;
            for (int d : dependents[i]) {
                start = Math.max(start, finish[d]);
            }
            finish[i] = start + stopNanos[i];
            longest = Math.max(longest, finish[i]);
        }
        return longest;
    }

    long totalNanos(long[] stopNanos) {
        return Arrays.stream(stopNanos).sum();
    }
}
