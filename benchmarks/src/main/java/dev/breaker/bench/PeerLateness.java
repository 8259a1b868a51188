package dev.breaker.bench;

import dev.breaker.Breaker;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.TimerTask;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Issue 14's firing comparison against the real peers: {@code count} timeouts due within
 * {@code spread} (1 s), lateness percentiles and the CPU of each mechanism's own threads, plus
 * the CPU those threads use while a single timeout waits an hour away. A plain main (JMH cannot
 * time firing).
 *
 * <p>Per measurement: a fresh timer (the JDK delayer and Breaker's wheel are process-wide and
 * reused), {@code count} due instants {@code base + U[0, spread)} with {@code base = now + lead}
 * (fixed seed per round, the same offsets for every mechanism of a round), armed in
 * random order; each firing action writes {@code System.nanoTime() - due} into its slot of a
 * preallocated {@code long[]} and counts down one {@link CountDownLatch}. CPU is the sum of
 * {@link ThreadMXBean#getThreadCpuTime} over the mechanism's threads (by name), sampled every
 * 50 ms while the main thread waits on the latch, from the first due instant until the last action
 * ran (CPU during arming and during the lead is recorded separately).
 *
 * <p>Idle: one timeout of each mechanism pending an hour away, all mechanisms at once, CPU of
 * their threads over {@code idleSeconds}, in ns per second of wall time.
 *
 * <pre>java -Xms2g -Xmx2g -cp benchmarks/target/benchmarks.jar dev.breaker.bench.PeerLateness \
 *     [count=100000] [rounds=5] [json-file] [spreadMillis=1000] [idleSeconds=3] [leadMillis=500]</pre>
 */
public final class PeerLateness {
    static final long SAMPLE_MILLIS = 50;

    private PeerLateness() {
    }

    // ------------------------------------------------------------------ the mechanisms

    /** One way to arm a timeout; a fresh instance (and timer, where it has one) per measurement. */
    abstract static class Peer {
        abstract Object arm(Slot slot, long delayNanos);

        abstract void disarm(Object handle);

        /** Stops the timer's threads, if this instance owns them. */
        void close() {
        }
    }

    /** A mechanism of the comparison: its name, a description, and how to find its threads. */
    static final class Kind {
        final String name;
        final String label;
        final String threadsLabel;
        final Predicate<String> threads;
        final Supplier<Peer> factory;

        Kind(String name, String label, String threadsLabel, Predicate<String> threads, Supplier<Peer> factory) {
            this.name = name;
            this.label = label;
            this.threadsLabel = threadsLabel;
            this.threads = threads;
            this.factory = factory;
        }
    }

    static final String STPE_THREAD = "peer-lateness-stpe";
    static final String NETTY_THREAD = "peer-lateness-netty-100ms";
    static final String NETTY_1MS_THREAD = "peer-lateness-netty-1ms";

    static List<Kind> kinds() {
        List<Kind> k = new ArrayList<>();
        k.add(new Kind("breaker", "Breaker.byTimeout + onBreak (1 ms tick; action on a callback thread)",
                "breaker-timer + breaker-callback-*",
                n -> n.equals("breaker-timer") || n.startsWith("breaker-callback-"),
                BreakerPeer::new));
        k.add(new Kind("orTimeout", "CompletableFuture.orTimeout + whenComplete (the JDK's shared delayer)",
                "CompletableFutureDelayScheduler (JDK 25: ForkJoinPool.commonPool-delayScheduler)",
                n -> n.equals("CompletableFutureDelayScheduler") || n.endsWith("-delayScheduler"),
                OrTimeoutPeer::new));
        k.add(new Kind("scheduledExecutor", "ScheduledThreadPoolExecutor, 1 thread, remove-on-cancel, schedule",
                STPE_THREAD, STPE_THREAD::equals, StpePeer::new));
        k.add(new Kind("netty", "Netty HashedWheelTimer, defaults (100 ms tick, 512 buckets), newTimeout",
                NETTY_THREAD, NETTY_THREAD::equals, () -> new NettyPeer(NETTY_THREAD, 100)));
        k.add(new Kind("netty1ms", "Netty HashedWheelTimer configured with a 1 ms tick, 512 buckets, newTimeout",
                NETTY_1MS_THREAD, NETTY_1MS_THREAD::equals, () -> new NettyPeer(NETTY_1MS_THREAD, 1)));
        return k;
    }

    static final class BreakerPeer extends Peer {
        @Override
        Object arm(Slot slot, long delayNanos) {
            Breaker b = Breaker.byTimeout(Duration.ofNanos(delayNanos));
            b.onBreak(slot);
            return b;
        }

        @Override
        void disarm(Object handle) {
            ((Breaker) handle).close();
        }
        // the library's threads are daemons and end after 1 s without work
    }

    static final class OrTimeoutPeer extends Peer {
        @Override
        Object arm(Slot slot, long delayNanos) {
            CompletableFuture<Object> f = new CompletableFuture<>();
            f.orTimeout(delayNanos, TimeUnit.NANOSECONDS);
            f.whenComplete(slot); // runs on the delayer thread when the timeout completes f
            return f;
        }

        @Override
        void disarm(Object handle) {
            ((CompletableFuture<?>) handle).complete(null);
        }
        // the JDK's delayer is process-wide (a daemon): nothing to stop
    }

    static final class StpePeer extends Peer {
        final ScheduledThreadPoolExecutor stpe = new ScheduledThreadPoolExecutor(1, daemon(STPE_THREAD));

        StpePeer() {
            stpe.setRemoveOnCancelPolicy(true);
            stpe.prestartCoreThread();
        }

        @Override
        Object arm(Slot slot, long delayNanos) {
            return stpe.schedule(slot, delayNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        void disarm(Object handle) {
            ((ScheduledFuture<?>) handle).cancel(false);
        }

        @Override
        void close() {
            stpe.shutdownNow();
        }
    }

    static final class NettyPeer extends Peer {
        final HashedWheelTimer timer;

        NettyPeer(String thread, long tickMillis) {
            timer = tickMillis == 100
                    ? new HashedWheelTimer(daemon(thread)) // Netty's defaults: 100 ms, 512 buckets
                    : new HashedWheelTimer(daemon(thread), tickMillis, TimeUnit.MILLISECONDS, 512);
            timer.start();
        }

        @Override
        Object arm(Slot slot, long delayNanos) {
            return timer.newTimeout(slot, delayNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        void disarm(Object handle) {
            ((Timeout) handle).cancel();
        }

        @Override
        void close() {
            timer.stop();
        }
    }

    static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** What a firing runs: records its lateness in its slot. Allocates nothing. */
    static final class Slot implements Runnable, BiConsumer<Object, Throwable>, TimerTask {
        final long[] due;
        final long[] late;
        final CountDownLatch fired;
        final int i;

        Slot(long[] due, long[] late, CountDownLatch fired, int i) {
            this.due = due;
            this.late = late;
            this.fired = fired;
            this.i = i;
        }

        @Override
        public void run() {
            late[i] = System.nanoTime() - due[i];
            fired.countDown();
        }

        @Override
        public void accept(Object value, Throwable failure) {
            run();
        }

        @Override
        public void run(Timeout timeout) {
            run();
        }
    }

    // ------------------------------------------------------------------ CPU of named threads

    /**
     * CPU since construction of the mechanism's threads (found by name). Threads born later count
     * from 0. A thread that ends between two samples loses at most what it used since the last one
     * (the library's threads end only after 1 s without work).
     */
    static final class CpuMeter {
        private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
        private final Predicate<String> mine;
        /** id -> {cpu at start, last cpu seen, 1 if the mechanism's, cpu at the last mark}; other threads are only named once. */
        private final Map<Long, long[]> seen = new HashMap<>();
        private final Map<Long, String> names = new HashMap<>();
        private boolean started;

        static {
            if (!MX.isThreadCpuTimeSupported()) {
                throw new IllegalStateException("this JVM cannot measure thread CPU time");
            }
            if (!MX.isThreadCpuTimeEnabled()) {
                MX.setThreadCpuTimeEnabled(true);
            }
        }

        CpuMeter(Predicate<String> mine) {
            this.mine = mine;
            sample();
            started = true;
        }

        void sample() {
            for (long id : MX.getAllThreadIds()) {
                long[] e = seen.get(id);
                if (e != null && e[2] == 0) {
                    continue; // not the mechanism's
                }
                long cpu = MX.getThreadCpuTime(id);
                if (cpu < 0) {
                    continue; // ended meanwhile
                }
                if (e == null) {
                    ThreadInfo info = MX.getThreadInfo(id);
                    if (info == null) {
                        continue;
                    }
                    boolean isMine = mine.test(info.getThreadName());
                    seen.put(id, new long[] {started ? 0 : cpu, cpu, isMine ? 1 : 0, started ? 0 : cpu});
                    if (isMine) {
                        names.put(id, info.getThreadName());
                    }
                } else {
                    e[1] = cpu;
                }
            }
        }

        long mineNanos() {
            long n = 0;
            for (long[] e : seen.values()) {
                if (e[2] == 1) {
                    n += e[1] - e[0];
                }
            }
            return n;
        }

        /** Takes a sample; {@link #perThread()} then counts from here. */
        void mark() {
            sample();
            for (long[] e : seen.values()) {
                e[3] = e[1];
            }
        }

        /** CPU of the mechanism's threads since the last {@link #mark()}, by name ("breaker-callback-*" summed), in ms. */
        String perThread() {
            Map<String, Long> byName = new java.util.TreeMap<>();
            for (Map.Entry<Long, String> n : names.entrySet()) {
                long[] e = seen.get(n.getKey());
                String name = n.getValue().startsWith("breaker-callback-") ? "breaker-callback-*" : n.getValue();
                byName.merge(name, e[1] - e[3], Long::sum);
            }
            StringBuilder b = new StringBuilder();
            for (Map.Entry<String, Long> e : byName.entrySet()) {
                b.append(b.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.1f", e.getKey(), ms(e.getValue())));
            }
            return b.toString();
        }

        int mineThreads() {
            int n = 0;
            for (long[] e : seen.values()) {
                n += (int) e[2];
            }
            return n;
        }
    }

    /** CPU of the whole process (GC and JIT threads included), or -1 if the JVM cannot tell. */
    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
        }
        return -1;
    }

    static long[] gcCountAndMillis() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    // ------------------------------------------------------------------ one firing measurement

    /** The metrics of one measurement, by name (ms unless the name says otherwise). */
    static final String[] METRICS = {"p50Ms", "p99Ms", "p999Ms", "maxMs", "minMs", "timerCpuMs", "armingCpuMs", "preWindowCpuMs",
        "processCpuMs", "windowMs", "armMs", "gcCount", "gcMs", "fired", "armedLate", "timerThreads", "idleCpuNsPerS"};

    static Map<String, Object> fire(Kind kind, int count, long seed, long leadNanos, long spreadNanos) throws InterruptedException {
        SplittableRandom random = new SplittableRandom(seed);
        long[] offsets = new long[count];
        for (int i = 0; i < count; i++) {
            offsets[i] = random.nextLong(spreadNanos);
        }
        long[] due = new long[count];
        long[] late = new long[count];
        Arrays.fill(late, Long.MIN_VALUE);
        CountDownLatch fired = new CountDownLatch(count);
        Slot[] slots = new Slot[count];
        for (int i = 0; i < count; i++) {
            slots[i] = new Slot(due, late, fired, i);
        }
        Peer peer = kind.factory.get();
        try {
            System.gc();
            CpuMeter cpu = new CpuMeter(kind.threads);
            long armStart = System.nanoTime();
            long base = armStart + leadNanos;
            for (int i = 0; i < count; i++) {
                due[i] = base + offsets[i];
            }
            int armedLate = 0;
            for (int i = 0; i < count; i++) {
                long delay = due[i] - System.nanoTime();
                if (delay <= 0) {
                    armedLate++; // arming took longer than the lead: this one is late before it is armed
                    delay = 0;
                }
                peer.arm(slots[i], delay);
            }
            long armEnd = System.nanoTime();
            cpu.sample();
            long armingCpu = cpu.mineNanos();
            // the firing window opens when the first timeout is due (the timers' CPU until then:
            // preWindowCpuMs); awaiting the latch, which no timeout can release before then
            long windowStart = Math.max(armEnd, base);
            fired.await(windowStart - System.nanoTime(), TimeUnit.NANOSECONDS);
            cpu.mark();
            long preWindowCpu = cpu.mineNanos();
            long process0 = processCpuNanos();
            long[] gc0 = gcCountAndMillis();
            long limit = base + spreadNanos + TimeUnit.SECONDS.toNanos(30);
            while (!fired.await(SAMPLE_MILLIS, TimeUnit.MILLISECONDS)) {
                cpu.sample();
                if (System.nanoTime() - limit > 0) {
                    throw new IllegalStateException(kind.name + ": only " + (count - fired.getCount()) + " of "
                            + count + " fired 30 s after the last was due");
                }
            }
            long end = System.nanoTime();
            cpu.sample();
            long process1 = processCpuNanos();
            long[] gc1 = gcCountAndMillis();

            int written = 0;
            for (long l : late) {
                if (l != Long.MIN_VALUE) {
                    written++;
                }
            }
            long[] sorted = late.clone();
            Arrays.sort(sorted);
            Map<String, Object> m = new HashMap<>();
            m.put("p50Ms", ms(sorted[(int) (count * 0.50)]));
            m.put("p99Ms", ms(sorted[Math.min(count - 1, (int) (count * 0.99))]));
            m.put("p999Ms", ms(sorted[Math.min(count - 1, (int) (count * 0.999))]));
            m.put("maxMs", ms(sorted[count - 1]));
            m.put("minMs", ms(sorted[0]));
            m.put("timerCpuMs", ms(cpu.mineNanos() - preWindowCpu));
            m.put("armingCpuMs", ms(armingCpu));
            m.put("preWindowCpuMs", ms(preWindowCpu - armingCpu));
            m.put("processCpuMs", ms(process1 - process0)); // everything: main, GC, JIT, the timer
            m.put("windowMs", ms(end - windowStart));
            m.put("armMs", ms(armEnd - armStart));
            m.put("gcCount", (double) (gc1[0] - gc0[0]));
            m.put("gcMs", (double) (gc1[1] - gc0[1]));
            m.put("fired", (double) written);
            m.put("armedLate", (double) armedLate);
            m.put("timerThreads", (double) cpu.mineThreads());
            m.put("threadCpu", cpu.perThread());
            return m;
        } finally {
            peer.close();
        }
    }

    /**
     * Every mechanism at once, each with one timeout due in an hour and nothing else: CPU of each
     * one's threads over {@code seconds}, in ns per second of wall time.
     */
    static double[] idle(List<Kind> kinds, double seconds) throws InterruptedException {
        long[] noDue = new long[1];
        long[] noLate = new long[1];
        CountDownLatch never = new CountDownLatch(1);
        Peer[] peers = new Peer[kinds.size()];
        Object[] handles = new Object[kinds.size()];
        try {
            for (int k = 0; k < peers.length; k++) {
                peers[k] = kinds.get(k).factory.get();
                handles[k] = peers[k].arm(new Slot(noDue, noLate, never, 0), TimeUnit.HOURS.toNanos(1));
            }
            // not a synchronisation (nothing is due): lets what the firing measurements left behind
            // end first (Breaker's callback threads and its wheel's idle linger last 1 s)
            Thread.sleep(Long.getLong("peers.settleMillis", seconds >= 1 ? 1_500 : 200));
            CpuMeter[] meters = new CpuMeter[peers.length];
            for (int k = 0; k < peers.length; k++) {
                meters[k] = new CpuMeter(kinds.get(k).threads);
            }
            long start = System.nanoTime();
            Thread.sleep((long) (seconds * 1000));
            double[] nsPerSecond = new double[peers.length];
            for (int k = 0; k < peers.length; k++) {
                meters[k].sample();
            }
            double wall = (System.nanoTime() - start) / 1e9;
            for (int k = 0; k < peers.length; k++) {
                nsPerSecond[k] = meters[k].mineNanos() / wall;
                if (Boolean.getBoolean("peers.verbose")) {
                    System.out.println("idle " + kinds.get(k).name + ": " + meters[k].perThread());
                }
            }
            if (never.getCount() != 1) {
                throw new IllegalStateException("a timeout due in an hour fired");
            }
            return nsPerSecond;
        } finally {
            for (int k = 0; k < peers.length; k++) {
                if (peers[k] != null) {
                    if (handles[k] != null) {
                        peers[k].disarm(handles[k]);
                    }
                    peers[k].close();
                }
            }
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    // ------------------------------------------------------------------ rounds and report

    /** Per mechanism (in {@link #kinds()} order), per measured round, the metrics. */
    static final class Report {
        final List<Kind> kinds;
        final int count;
        final int rounds;
        final long leadMillis;
        final long spreadMillis;
        final double idleSeconds;
        final List<List<Map<String, Object>>> byKind = new ArrayList<>();
        String loadStart;
        String loadEnd;

        Report(List<Kind> kinds, int count, int rounds, long leadMillis, long spreadMillis, double idleSeconds) {
            this.kinds = kinds;
            this.count = count;
            this.rounds = rounds;
            this.leadMillis = leadMillis;
            this.spreadMillis = spreadMillis;
            this.idleSeconds = idleSeconds;
            for (int k = 0; k < kinds.size(); k++) {
                byKind.add(new ArrayList<>());
            }
        }

        double mean(int kind, String metric) {
            double s = 0;
            for (Map<String, Object> r : byKind.get(kind)) {
                s += num(r, metric);
            }
            return s / byKind.get(kind).size();
        }

        double median(int kind, String metric) {
            List<Map<String, Object>> rs = byKind.get(kind);
            double[] v = new double[rs.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = num(rs.get(i), metric);
            }
            Arrays.sort(v);
            return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        }

        double sd(int kind, String metric) {
            List<Map<String, Object>> rs = byKind.get(kind);
            if (rs.size() < 2) {
                return 0;
            }
            double mean = mean(kind, metric);
            double v = 0;
            for (Map<String, Object> r : rs) {
                v += (num(r, metric) - mean) * (num(r, metric) - mean);
            }
            return Math.sqrt(v / (rs.size() - 1));
        }

        static double num(Map<String, Object> r, String metric) {
            return ((Number) r.get(metric)).doubleValue();
        }

        String toJson() {
            StringBuilder j = new StringBuilder("{\n");
            j.append(String.format(Locale.ROOT, "  \"count\": %d, \"rounds\": %d, \"warmupRounds\": 1, \"leadMillis\": %d, "
                    + "\"spreadMillis\": %d, \"idleSeconds\": %.1f,%n", count, rounds, leadMillis, spreadMillis, idleSeconds));
            j.append(String.format(Locale.ROOT, "  \"jdk\": \"%s\", \"vm\": \"%s\", \"cores\": %d, \"commit\": \"%s\",%n",
                    System.getProperty("java.runtime.version"), esc(System.getProperty("java.vm.name")),
                    Runtime.getRuntime().availableProcessors(), esc(System.getProperty("bench.commit", ""))));
            j.append(String.format(Locale.ROOT, "  \"loadAverageStart\": \"%s\", \"loadAverageEnd\": \"%s\",%n",
                    esc(loadStart), esc(loadEnd)));
            j.append("  \"peers\": [\n");
            for (int k = 0; k < kinds.size(); k++) {
                Kind kind = kinds.get(k);
                j.append(String.format(Locale.ROOT, "    {\"peer\": \"%s\", \"label\": \"%s\", \"threads\": \"%s\"",
                        kind.name, esc(kind.label), esc(kind.threadsLabel)));
                for (String m : METRICS) {
                    j.append(String.format(Locale.ROOT, ",%n     \"%s\": {\"mean\": %.4f, \"sd\": %.4f, \"median\": %.4f}",
                            m, mean(k, m), sd(k, m), median(k, m)));
                }
                j.append(",\n     \"perRound\": [");
                List<Map<String, Object>> rs = byKind.get(k);
                for (int r = 0; r < rs.size(); r++) {
                    j.append(r == 0 ? "\n       {" : ",\n       {");
                    for (int i = 0; i < METRICS.length; i++) {
                        j.append(String.format(Locale.ROOT, "%s\"%s\": %.4f", i == 0 ? "" : ", ", METRICS[i], num(rs.get(r), METRICS[i])));
                    }
                    j.append(String.format(Locale.ROOT, ", \"threadCpu\": \"%s\"", esc((String) rs.get(r).get("threadCpu"))));
                    j.append('}');
                }
                j.append("]}").append(k + 1 < kinds.size() ? ",\n" : "\n");
            }
            j.append("  ]\n}\n");
            return j.toString();
        }

        private static String esc(String s) {
            return s == null ? "" : s.replace("\\", "\\\\").replace("\"", "\\\"");
        }
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    /**
     * Runs one warm-up round (discarded) and {@code rounds} measured ones. In round {@code r} the
     * mechanisms run in the order of {@link #kinds()} rotated by {@code r}, then the idle
     * measurement of all of them at once.
     */
    static Report measure(int count, int rounds, long leadMillis, long spreadMillis, double idleSeconds,
                          boolean print) throws InterruptedException {
        List<Kind> kinds = kinds();
        String only = System.getProperty("peers"); // e.g. -Dpeers=breaker,netty1ms: a diagnosis run
        if (only != null && !only.isEmpty()) {
            List<String> wanted = Arrays.asList(only.split(","));
            kinds.removeIf(k -> !wanted.contains(k.name));
        }
        Report report = new Report(kinds, count, rounds, leadMillis, spreadMillis, idleSeconds);
        report.loadStart = loadAverage();
        for (int round = 0; round <= rounds; round++) {
            Map<String, Object>[] results = newResults(kinds.size());
            for (int j = 0; j < kinds.size(); j++) {
                int k = (j + round) % kinds.size();
                results[k] = fire(kinds.get(k), count, 42 + round, TimeUnit.MILLISECONDS.toNanos(leadMillis),
                        TimeUnit.MILLISECONDS.toNanos(spreadMillis));
            }
            double[] idle = idle(kinds, idleSeconds);
            for (int k = 0; k < kinds.size(); k++) {
                results[k].put("idleCpuNsPerS", idle[k]);
                if (round > 0) {
                    report.byKind.get(k).add(results[k]);
                }
                if (print) {
                    Map<String, Object> m = results[k];
                    m.put("load", loadAverage());
                    System.out.printf(Locale.ROOT, "%s %-17s p50 %7.3f p99 %7.3f p99.9 %7.3f max %7.3f ms | timer CPU %6.1f ms"
                                    + " (arming %5.1f; process %6.1f, gc %.0f) | idle %,10.0f ns/s | armedLate %.0f | %s | load %s%n",
                            round == 0 ? "warm-up" : "round " + round, kinds.get(k).name, m.get("p50Ms"), m.get("p99Ms"),
                            m.get("p999Ms"), m.get("maxMs"), m.get("timerCpuMs"), m.get("armingCpuMs"), m.get("processCpuMs"),
                            m.get("gcCount"), m.get("idleCpuNsPerS"), m.get("armedLate"), m.get("threadCpu"), m.get("load"));
                }
            }
        }
        report.loadEnd = loadAverage();
        return report;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object>[] newResults(int n) {
        return new Map[n];
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String json = args.length > 2 && !args[2].isEmpty() ? args[2] : null;
        long spreadMillis = args.length > 3 ? Long.parseLong(args[3]) : 1_000;
        double idleSeconds = args.length > 4 ? Double.parseDouble(args[4]) : 3.0;
        long leadMillis = args.length > 5 ? Long.parseLong(args[5]) : 500;
        write(measure(count, rounds, leadMillis, spreadMillis, idleSeconds, true), json);
    }

    /** Writes the report's JSON to {@code file}, or to standard output if it is null. */
    static void write(Report report, String file) throws java.io.IOException {
        String out = report.toJson();
        if (file != null) {
            Files.writeString(Path.of(file), out);
        } else {
            System.out.print(out);
        }
    }
}
