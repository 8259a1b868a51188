package dev.breaker.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Locale;

/**
 * Retained heap per pending timeout, measured: used heap (after {@code System.gc()} until it
 * stops shrinking) before and after arming {@code count} timeouts of 10-20 minutes, divided by
 * {@code count}. The handles are kept in an array allocated before the first measurement, so
 * the figure is what the timer structure and the entry cost, not the caller's references.
 * The timeout values come from a pre-generated table shared by every entry with the same index
 * (16,384 {@code Duration}s, allocated before the baseline), as a constant timeout would be.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.breaker.bench.RetainedHeap [count] [json-file]</pre>
 *
 * Run it with a fixed heap ({@code -Xms2g -Xmx2g -XX:+UseParallelGC}) so that GC ergonomics do
 * not resize the heap between the two readings.
 */
public final class RetainedHeap {
    private RetainedHeap() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        String json = args.length > 1 ? args[1] : null;
        StringBuilder out = new StringBuilder("[\n");
        for (int round = 0; round < 2; round++) { // round 0 warms up classes and the timer threads
            for (Mechanism m : Mechanism.values()) {
                double perEntry = measure(m, count);
                if (round == 1) {
                    System.out.printf(Locale.ROOT, "%-20s %,d pending: %.1f bytes retained per entry%n",
                            m, count, perEntry);
                    out.append(String.format(Locale.ROOT,
                            "  {\"mechanism\": \"%s\", \"pending\": %d, \"bytesPerEntry\": %.1f},%n", m, count, perEntry));
                }
            }
        }
        out.setLength(out.length() - 2);
        out.append("\n]\n");
        if (json != null) {
            java.nio.file.Files.writeString(java.nio.file.Path.of(json), out);
        }
    }

    static double measure(Mechanism m, int count) {
        Timeouts timeouts = new Timeouts(11);
        Object[] handles = new Object[count];
        long before = settledUsedHeap();
        for (int i = 0; i < count; i++) {
            handles[i] = m.arm(timeouts.nanos[i & Timeouts.MASK], timeouts.durations[i & Timeouts.MASK], null);
        }
        long after = settledUsedHeap();
        for (Object h : handles) {
            m.disarm(h);
        }
        return (after - before) / (double) count;
    }

    static long settledUsedHeap() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long last = Long.MAX_VALUE;
        for (int i = 0; i < 20; i++) {
            System.gc();
            long used = memory.getHeapMemoryUsage().getUsed();
            if (i >= 3 && used >= last) {
                return Math.min(used, last);
            }
            last = Math.min(last, used);
        }
        return last;
    }
}
