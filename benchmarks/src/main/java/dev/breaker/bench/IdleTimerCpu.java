package dev.breaker.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * What {@code pending} waiting timeouts (10-20 minutes, none due) cost while nothing happens:
 * CPU time of every thread but the caller over {@code seconds}, as a share of one core. The
 * breaker's timer thread visits one wheel bucket per 1 ms tick, so it walks every entry once
 * per rotation (4.096 s); a {@code ScheduledThreadPoolExecutor} sleeps until its earliest
 * deadline.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.breaker.bench.IdleTimerCpu [pending] [seconds] [json-file]</pre>
 */
public final class IdleTimerCpu {
    private IdleTimerCpu() {
    }

    public static void main(String[] args) throws Exception {
        int pending = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 8.2;
        StringBuilder out = new StringBuilder("[\n");
        for (Mechanism m : Mechanism.values()) {
            Timeouts timeouts = new Timeouts(5);
            Object[] handles = new Object[pending];
            for (int i = 0; i < pending; i++) {
                handles[i] = m.arm(timeouts.nanos[i & Timeouts.MASK], timeouts.durations[i & Timeouts.MASK], null);
            }
            System.gc();
            Thread.sleep(500);
            long before = otherThreadsCpuNanos();
            long start = System.nanoTime();
            Thread.sleep((long) (seconds * 1000));
            double share = (otherThreadsCpuNanos() - before) / (double) (System.nanoTime() - start);
            for (Object h : handles) {
                m.disarm(h);
            }
            System.out.printf(Locale.ROOT, "%-20s %,d pending, idle: %.2f %% of a core%n", m, pending, share * 100);
            out.append(String.format(Locale.ROOT, "  {\"mechanism\": \"%s\", \"pending\": %d, \"seconds\": %.1f, \"coreShare\": %.4f},%n",
                    m, pending, seconds, share));
        }
        out.setLength(out.length() - 2);
        out.append("\n]\n");
        if (args.length > 2) {
            java.nio.file.Files.writeString(java.nio.file.Path.of(args[2]), out);
        }
    }

    /** CPU time of all live threads except the caller (JVM housekeeping included, equally for all). */
    static long otherThreadsCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        long sum = 0;
        for (long id : threads.getAllThreadIds()) {
            if (id != self) {
                long t = threads.getThreadCpuTime(id);
                if (t > 0) {
                    sum += t;
                }
            }
        }
        return sum;
    }
}
