package dev.breaker.bench;

import dev.breaker.Breaker;
import dev.breaker.Permits;
import dev.breaker.Retry;
import dev.breaker.jdbc.Jdbc;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Cancellation that reaches the work (issue 22): what the guard, the retry and the permits cost
 * on the paths users take most, each next to what they would write instead, in the same run.
 * <ul>
 *   <li><b>JDBC</b>, an H2 in-memory database, one {@code PreparedStatement "SELECT ? + 1"}
 *       reused; every operation sets the parameter, executes the query, reads the one row and
 *       closes the {@code ResultSet}:
 *       <ul>
 *         <li>{@code jdbc_unguarded}: {@code ps.executeQuery()};</li>
 *         <li>{@code jdbc_guardedManual}: {@code Jdbc.execute(breaker, ps, PreparedStatement::executeQuery)}
 *             under one long-lived {@code Breaker.manual()} (no time left: the query timeout is
 *             left alone);</li>
 *         <li>{@code jdbc_guardedPerCall}: the same under a {@code Breaker.byTimeout(2 s)}
 *             created and closed in the operation, as a request does (the query timeout is set
 *             to 2 s and restored);</li>
 *         <li>{@code jdbc_unguardedPerCall}: {@code ps.executeQuery()} with the same breaker
 *             created and closed around it but not given to the statement, so that
 *             {@code jdbc_guardedPerCall - jdbc_unguardedPerCall} is the guard's own cost;</li>
 *         <li>{@code jdbc_queryTimeoutPerCall}: what a user bounding the query by hand writes
 *             instead: the same breaker created and closed around it, and
 *             {@code ps.setQueryTimeout(2)} before the query and {@code setQueryTimeout(0)}
 *             after it (the two calls the guard makes for a breaker with time left; H2 runs a
 *             {@code SET QUERY_TIMEOUT} command on the session for each), so that
 *             {@code jdbc_guardedPerCall - jdbc_queryTimeoutPerCall} is the guard's cost apart
 *             from the driver's.</li>
 *       </ul></li>
 *   <li><b>Retry</b> that succeeds at the first attempt, under a long-lived
 *       {@code Breaker.byTimeout(1 h)}: {@code retry_direct} calls the action,
 *       {@code retry_call} is {@code Retry.call(breaker, action)}, {@code retry_policyRun} is a
 *       prebuilt policy's {@code run(breaker, action).value()}. The action does a little real
 *       work, {@code work}: {@code lookup}, a {@code HashMap<String, Integer>} lookup among 16
 *       keys (a few ns), or {@code cpu}, {@code Blackhole.consumeCPU(64)} (about a hundred ns).</li>
 *   <li><b>Permits</b>, uncontended, 8 permits, one thread: {@code permits_acquire} is
 *       {@code acquire(breaker, 1)} + {@code close()} under the long-lived breaker,
 *       {@code permits_tryAcquire} is {@code tryAcquire(1)} + {@code close()}, against
 *       {@code java.util.concurrent.Semaphore(8)}: {@code semaphore_tryAcquire} is
 *       {@code tryAcquire()} + {@code release()}, {@code semaphore_acquire} is {@code acquire()}
 *       + {@code release()}.</li>
 *   <li>{@code remaining_byTimeout}: {@code remaining()} of a live {@code byTimeout(1 h)} breaker,
 *       read into nanoseconds (for information).</li>
 * </ul>
 * Each operation returns a primitive read from its result, so that no side is charged for
 * handing an object to JMH's blackhole that the user's code would not let escape.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class WorkBenchmark {
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

    /** The long-lived breaker of the retry, permits and remaining() cases: the request's, already made. */
    @State(Scope.Benchmark)
    public static class Live {
        Breaker breaker;

        @Setup(Level.Trial)
        public void setUp() {
            breaker = Breaker.byTimeout(Duration.ofHours(1));
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            breaker.close();
        }
    }

    @State(Scope.Benchmark)
    public static class Db {
        Connection connection;
        PreparedStatement statement;
        Breaker manual;
        int next;

        @Setup(Level.Trial)
        public void setUp() throws SQLException {
            connection = DriverManager.getConnection("jdbc:h2:mem:");
            statement = connection.prepareStatement("SELECT ? + 1");
            manual = Breaker.manual();
            statement.setInt(1, 41);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next() || rs.getInt(1) != 42) {
                    throw new IllegalStateException("SELECT ? + 1 did not give 42");
                }
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws SQLException {
            manual.close();
            statement.close();
            connection.close();
        }

        /** Sets the parameter to a changing value (so no result can be reused) and returns the statement. */
        PreparedStatement bind() throws SQLException {
            statement.setInt(1, next++ & 1023);
            return statement;
        }
    }

    @State(Scope.Benchmark)
    public static class Work {
        @Param({"lookup", "cpu"})
        String work;

        Retry policy;
        Callable<Integer> action;
        final Map<String, Integer> map = new HashMap<>();
        final String[] keys = new String[16];
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            for (int i = 0; i < keys.length; i++) {
                keys[i] = "key-" + i;
                map.put(keys[i], i);
            }
            policy = Retry.defaults().withAttempts(3).withBackoff(Duration.ofMillis(10), Duration.ofMillis(200));
            switch (work) {
                case "lookup":
                    action = () -> map.get(keys[next++ & 15]);
                    break;
                case "cpu":
                    action = () -> {
                        Blackhole.consumeCPU(64);
                        return next++;
                    };
                    break;
                default:
                    throw new IllegalArgumentException(work);
            }
        }
    }

    @State(Scope.Benchmark)
    public static class Pool {
        Permits permits;
        Semaphore semaphore;

        @Setup(Level.Trial)
        public void setUp() {
            permits = new Permits(8);
            semaphore = new Semaphore(8);
        }

        @TearDown(Level.Trial)
        public void check() {
            if (permits.available() != 8 || semaphore.availablePermits() != 8) {
                throw new IllegalStateException("a permit was not given back: " + permits + ", " + semaphore);
            }
        }
    }

    // ---- JDBC ----

    @Benchmark
    public int jdbc_unguarded(Db db) throws SQLException {
        try (ResultSet rs = db.bind().executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Benchmark
    public int jdbc_guardedManual(Db db) throws SQLException {
        try (ResultSet rs = Jdbc.execute(db.manual, db.bind(), PreparedStatement::executeQuery)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Benchmark
    public int jdbc_guardedPerCall(Db db) throws SQLException {
        try (Breaker breaker = Breaker.byTimeout(REQUEST_TIMEOUT);
             ResultSet rs = Jdbc.execute(breaker, db.bind(), PreparedStatement::executeQuery)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Benchmark
    public int jdbc_unguardedPerCall(Db db) throws SQLException {
        try (Breaker breaker = Breaker.byTimeout(REQUEST_TIMEOUT);
             ResultSet rs = db.bind().executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Benchmark
    public int jdbc_queryTimeoutPerCall(Db db) throws SQLException {
        try (Breaker breaker = Breaker.byTimeout(REQUEST_TIMEOUT)) {
            PreparedStatement ps = db.bind();
            ps.setQueryTimeout(2);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            } finally {
                ps.setQueryTimeout(0);
            }
        }
    }

    // ---- Retry, first attempt succeeds ----

    @Benchmark
    public Integer retry_direct(Work w) throws Exception {
        return w.action.call();
    }

    @Benchmark
    public Integer retry_call(Work w, Live live) throws Exception {
        return Retry.call(live.breaker, w.action);
    }

    @Benchmark
    public Integer retry_policyRun(Work w, Live live) throws Exception {
        return w.policy.run(live.breaker, w.action).value();
    }

    // ---- Permits, uncontended ----

    @Benchmark
    public int permits_acquire(Pool pool, Live live) throws InterruptedException {
        try (Permits.Permit permit = pool.permits.acquire(live.breaker, 1)) {
            return permit.count();
        }
    }

    @Benchmark
    public int permits_tryAcquire(Pool pool) {
        Optional<Permits.Permit> permit = pool.permits.tryAcquire(1);
        if (permit.isEmpty()) {
            throw new IllegalStateException("no free permit, uncontended");
        }
        try (Permits.Permit p = permit.get()) {
            return p.count();
        }
    }

    @Benchmark
    public boolean semaphore_tryAcquire(Pool pool) {
        if (!pool.semaphore.tryAcquire()) {
            throw new IllegalStateException("no free permit, uncontended");
        }
        pool.semaphore.release();
        return true;
    }

    @Benchmark
    public boolean semaphore_acquire(Pool pool) throws InterruptedException {
        pool.semaphore.acquire();
        pool.semaphore.release();
        return true;
    }

    // ---- remaining(), for information ----

    @Benchmark
    public long remaining_byTimeout(Live live) {
        Optional<Duration> left = live.breaker.remaining();
        return left.isPresent() ? left.get().toNanos() : -1;
    }
}
