package dev.breaker.bench;

import dev.breaker.Breaker;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

/**
 * The timer thread's CPU per second of wall time on the shape of issue 27: {@code idle} threads
 * each keep one timeout 3-4 s out (re-armed every second, closing the old one, so none ever
 * fires: one sparse entry per stripe, as on a server whose request threads are mostly idle),
 * while one thread keeps a 1 ms timeout due (so the timer wakes every tick). Run it with
 * {@code -XX:ActiveProcessorCount=N} to get the stripe count of an N-core machine.
 *
 * <p>CPU is {@link ThreadMXBean#getThreadCpuTime} of the thread(s) named {@code breaker-timer},
 * sampled every 100 ms (a thread born meanwhile counts from 0), over {@code seconds} of wall time
 * after a warm-up of the same shape; the share is CPU ns / wall ns. The wall time includes the
 * sampling.
 *
 * <pre>java -XX:ActiveProcessorCount=N -cp benchmarks/target/benchmarks.jar dev.breaker.bench.StripeScanCpu [idle] [warmupSeconds] [seconds] [rounds] [label]</pre>
 *
 * Prints one JSON object per line per round (append them to a results file).
 */
public final class StripeScanCpu {
    private StripeScanCpu() {
    }

    private static volatile boolean stop;

    public static void main(String[] args) throws Exception {
        int idle = args.length > 0 ? Integer.parseInt(args[0]) : 512;
        double warmup = args.length > 1 ? Double.parseDouble(args[1]) : 5;
        double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 10;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        String label = args.length > 4 ? args[4] : "";
        int cpus = Runtime.getRuntime().availableProcessors();
        int stripes = Integer.highestOneBit(Math.max(1, cpus) * 4 - 1); // as TimerWheel.INSTANCE, before any cap

        List<Thread> threads = new ArrayList<>();
        CountDownLatch armed = new CountDownLatch(idle);
        for (int i = 0; i < idle; i++) {
            long seed = i;
            Thread t = new Thread(() -> idleLoop(seed, armed), "idle-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        armed.await();
        Thread hot = new Thread(StripeScanCpu::hotLoop, "hot");
        hot.setDaemon(true);
        hot.start();

        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        measure(mx, warmup);
        for (int r = 0; r < rounds; r++) {
            double[] m = measure(mx, seconds);
            double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            System.out.printf(Locale.ROOT,
                    "{\"label\": \"%s\", \"cpus\": %d, \"stripes\": %d, \"idleThreads\": %d, \"round\": %d, "
                            + "\"seconds\": %.2f, \"timerCpuShare\": %.5f, \"hotFires\": %d, \"loadAverage\": %.2f, \"java\": \"%s\"}%n",
                    label, cpus, stripes, idle, r + 1, m[1], m[0], (long) m[2], load,
                    System.getProperty("java.version"));
        }
        stop = true;
    }

    private static volatile long hotFires;

    /** CPU share of breaker-timer over {@code seconds}: {share, wall seconds, hot fires}. */
    private static double[] measure(ThreadMXBean mx, double seconds) throws InterruptedException {
        java.util.Map<Long, Long> last = new java.util.HashMap<>();
        sample(mx, last, null);
        long fires0 = hotFires;
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long[] cpu = {0};
        while (System.nanoTime() < end) {
            Thread.sleep(100);
            sample(mx, last, cpu);
        }
        long wall = System.nanoTime() - start;
        return new double[] {cpu[0] / (double) wall, wall / 1e9, hotFires - fires0};
    }

    private static void sample(ThreadMXBean mx, java.util.Map<Long, Long> last, long[] sum) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (!t.getName().equals("breaker-timer")) {
                continue;
            }
            long c = mx.getThreadCpuTime(t.getId());
            if (c < 0) {
                continue;
            }
            Long before = last.put(t.getId(), c);
            if (sum != null) {
                sum[0] += c - (before == null ? 0 : before);
            }
        }
    }

    /** One timeout 3-4 s out, replaced every second: never fires. */
    private static void idleLoop(long seed, CountDownLatch armed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Breaker b = Breaker.byTimeout(Duration.ofMillis(3_000 + rnd.nextInt(1_000)));
        armed.countDown();
        while (!stop) {
            LockSupport.parkNanos(1_000_000_000L + rnd.nextInt(1_000_000)); // about every second
            Breaker next = Breaker.byTimeout(Duration.ofMillis(3_000 + rnd.nextInt(1_000)));
            b.close();
            b = next;
        }
        b.close();
    }

    /** A 1 ms timeout always due: the timer wakes every tick. */
    private static void hotLoop() {
        while (!stop) {
            try (Breaker b = Breaker.byTimeout(Duration.ofMillis(1))) {
                b.await();
                hotFires++;
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
