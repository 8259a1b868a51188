// Not compiled by Maven. Run: javac -cp benchmarks.jar -d /tmp/mct benchmarks/scripts/MultiplexCpuTime.java && java -cp benchmarks.jar:/tmp/mct MultiplexCpuTime 30
import dev.breaker.bench.MultiplexBenchmark;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/** Interleaves trip_breaker / trip_anyOf / close_breaker in one JVM; per-op thread CPU time per batch. */
public class MultiplexCpuTime {
    static Object sink;
    public static void main(String[] a) throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        int rounds = Integer.parseInt(a[0]);
        for (String ns : new String[] {"2", "8", "64"}) {
            int n = Integer.parseInt(ns);
            MultiplexBenchmark b = new MultiplexBenchmark();
            java.lang.reflect.Field f = MultiplexBenchmark.class.getDeclaredField("children");
            f.setAccessible(true);
            f.setInt(b, n);
            b.setUp();
            int ops = Math.max(2000, 400_000 / n);
            double[][] t = new double[3][rounds];
            for (int w = 0; w < 3; w++) { // warm-up
                for (int i = 0; i < ops * 5; i++) { sink = b.trip_breaker(); sink = b.trip_anyOf(); sink = b.close_breaker(); }
            }
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < 3; k++) {
                    long c0 = mx.getCurrentThreadCpuTime();
                    if (k == 0) for (int i = 0; i < ops; i++) sink = b.trip_breaker();
                    else if (k == 1) for (int i = 0; i < ops; i++) sink = b.trip_anyOf();
                    else for (int i = 0; i < ops; i++) sink = b.close_breaker();
                    t[k][r] = (mx.getCurrentThreadCpuTime() - c0) / (double) ops;
                }
            }
            b.tearDown();
            String[] names = {"trip_breaker", "trip_anyOf", "close_breaker"};
            double[] med = new double[3], p10 = new double[3];
            for (int k = 0; k < 3; k++) {
                double[] s = t[k].clone(); Arrays.sort(s);
                med[k] = s[s.length / 2]; p10[k] = s[s.length / 10];
                System.out.printf("n=%-3d %-14s cpu ns/op p10 %8.1f median %8.1f%n", n, names[k], p10[k], med[k]);
            }
            System.out.printf("n=%-3d ratio anyOf/breaker: p10 %.2f median %.2f%n", n, p10[1] / p10[0], med[1] / med[0]);
        }
    }
}
