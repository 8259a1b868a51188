package dev.breaker.bench;

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The ideal of each {@link ShutdownBenchmark} case: critical path, sum of all stops, number of
 * Spring phases, and the ideal phase-by-phase time (sum over phases of the slowest stop).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.breaker.bench.ShutdownShapes [stopMillis] [json-file]</pre>
 */
public final class ShutdownShapes {
    private ShutdownShapes() {
    }

    static long[] stopNanos(GraphShape shape, String stop, int stopMillis) {
        long base = TimeUnit.MILLISECONDS.toNanos(stopMillis);
        long[] nanos = new long[shape.size()];
        SplittableRandom random = new SplittableRandom(0x5709L);
        for (int i = 0; i < nanos.length; i++) {
            nanos[i] = "fixed".equals(stop) ? base : base / 2 + random.nextLong(base);
        }
        return nanos;
    }

    public static void main(String[] args) throws Exception {
        int stopMillis = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        StringBuilder out = new StringBuilder("[\n");
        for (String name : new String[] {"chain10", "diamond", "independent1000", "randomDag200"}) {
            GraphShape shape = GraphShape.named(name);
            int[] phases = shape.stopPhases();
            int phaseCount = 0;
            for (int p : phases) {
                phaseCount = Math.max(phaseCount, p + 1);
            }
            for (String stop : new String[] {"fixed", "random"}) {
                long[] nanos = stopNanos(shape, stop, stopMillis);
                long[] slowest = new long[phaseCount];
                for (int i = 0; i < nanos.length; i++) {
                    slowest[phases[i]] = Math.max(slowest[phases[i]], nanos[i]);
                }
                long phased = 0;
                for (long s : slowest) {
                    phased += s;
                }
                String line = String.format(Locale.ROOT,
                        "  {\"shape\": \"%s\", \"stop\": \"%s\", \"stopMillis\": %d, \"workers\": %d, \"phases\": %d,"
                                + " \"criticalPathMillis\": %.3f, \"idealPhasedMillis\": %.3f, \"sumMillis\": %.3f}",
                        name, stop, stopMillis, shape.size(), phaseCount,
                        shape.criticalPathNanos(nanos) / 1e6, phased / 1e6, shape.totalNanos(nanos) / 1e6);
                System.out.println(line.trim());
                out.append(line).append(",\n");
            }
        }
        out.setLength(out.length() - 2);
        out.append("\n]\n");
        if (args.length > 1) {
            java.nio.file.Files.writeString(java.nio.file.Path.of(args[1]), out);
        }
    }
}
