package dev.breaker.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Firing lateness with {@code pending} other timeouts waiting (10-20 minutes, never due): arm one
 * timeout of a pre-generated random 2-3 ms (random so that arming is not phase-locked to the 1 ms
 * tick), record {@link System#nanoTime()} in the action that runs when it fires (on the timer
 * thread), and take lateness = fire time - (arm time + timeout). One timeout is in flight at a
 * time. Each of {@code rounds} rounds takes {@code samples} samples and yields p50, p99 and max;
 * the report gives the mean and standard deviation over rounds (a first round is discarded as
 * warm-up). A custom measurement rather than JMH {@code SampleTime}, which would time the whole
 * wait and could only subtract an average timeout.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.breaker.bench.Lateness [pending] [samples] [rounds] [json-file]</pre>
 */
public final class Lateness {
    private Lateness() {
    }

    public static void main(String[] args) throws Exception {
        int pending = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int samples = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        String json = args.length > 3 ? args[3] : null;
        StringBuilder out = new StringBuilder("[\n");
        for (Mechanism m : Mechanism.values()) {
            Timeouts fill = new Timeouts(3);
            Object[] handles = new Object[pending];
            for (int i = 0; i < pending; i++) {
                handles[i] = m.arm(fill.nanos[i & Timeouts.MASK], fill.durations[i & Timeouts.MASK], null);
            }
            double[][] stats = new double[rounds][];
            sample(m, samples, 0); // warm-up
            for (int r = 0; r < rounds; r++) {
                stats[r] = sample(m, samples, r + 1);
            }
            for (Object h : handles) {
                m.disarm(h);
            }
            String[] names = {"p50", "p99", "max"};
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-20s pending=%d", m, pending));
            out.append(String.format(Locale.ROOT, "  {\"mechanism\": \"%s\", \"pending\": %d, \"samples\": %d, \"rounds\": %d",
                    m, pending, samples, rounds));
            for (int k = 0; k < names.length; k++) {
                double mean = 0;
                for (double[] s : stats) {
                    mean += s[k];
                }
                mean /= rounds;
                double var = 0;
                for (double[] s : stats) {
                    var += (s[k] - mean) * (s[k] - mean);
                }
                double sd = rounds > 1 ? Math.sqrt(var / (rounds - 1)) : 0;
                line.append(String.format(Locale.ROOT, "  %s %.1f ± %.1f µs", names[k], mean, sd));
                out.append(String.format(Locale.ROOT, ", \"%sMicros\": %.1f, \"%sMicrosSd\": %.1f", names[k], mean, names[k], sd));
            }
            out.append("},\n");
            System.out.println(line);
        }
        out.setLength(out.length() - 2);
        out.append("\n]\n");
        if (json != null) {
            java.nio.file.Files.writeString(java.nio.file.Path.of(json), out);
        }
    }

    /** One round: returns {p50, p99, max} of lateness in microseconds. */
    static double[] sample(Mechanism m, int samples, long seed) throws InterruptedException {
        SplittableRandom random = new SplittableRandom(seed);
        long[] delays = new long[samples];
        Duration[] durations = new Duration[samples];
        for (int i = 0; i < samples; i++) {
            delays[i] = TimeUnit.MILLISECONDS.toNanos(2) + random.nextLong(TimeUnit.MILLISECONDS.toNanos(1));
            durations[i] = Duration.ofNanos(delays[i]);
        }
        long[] late = new long[samples];
        long[] firedAt = new long[1];
        for (int i = 0; i < samples; i++) {
            CountDownLatch fired = new CountDownLatch(1);
            Runnable onFire = () -> {
                firedAt[0] = System.nanoTime();
                fired.countDown();
            };
            long start = System.nanoTime();
            m.arm(delays[i], durations[i], onFire);
            fired.await();
            late[i] = firedAt[0] - (start + delays[i]);
        }
        Arrays.sort(late);
        return new double[] {
                late[(int) (samples * 0.50)] / 1e3,
                late[Math.min(samples - 1, (int) (samples * 0.99))] / 1e3,
                late[samples - 1] / 1e3};
    }
}
