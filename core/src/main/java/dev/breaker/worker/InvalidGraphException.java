package dev.breaker.worker;

import java.util.List;

/**
 * Thrown by {@link WorkerGraph.Builder#build()} when the graph is invalid. It lists every
 * problem found, each as one stable line: {@code "duplicate worker name 'z'"},
 * {@code "worker 'x' depends on unknown worker 'y'"}, {@code "cycle: a -> b -> c -> a"} (where
 * {@code a -> b} reads "a depends on b").
 *
 * <p>Immutable (its problem list is a copy).
 */
public class InvalidGraphException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** Every problem found, one line each; an unmodifiable copy. */
    private final List<String> problems;

    /**
     * An exception listing {@code problems}; its message gives their number and then one problem
     * per line.
     *
     * @param problems the problems found, each as one line; copied
     * @throws NullPointerException if {@code problems} or one of them is null
     */
    public InvalidGraphException(List<String> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    /**
     * Every problem found, in a stable order.
     *
     * @return an unmodifiable list of one-line problems, never empty when thrown by the graph
     */
    public List<String> problems() {
        return problems;
    }

    private static String message(List<String> problems) {
        StringBuilder sb = new StringBuilder("invalid worker graph: ").append(problems.size())
                .append(problems.size() == 1 ? " problem" : " problems");
        for (String p : problems) {
            sb.append(System.lineSeparator()).append("  - ").append(p);
        }
        return sb.toString();
    }
}
