package dev.breaker.bench;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What the JFR event {@code dev.breaker.BreakerTripped} costs the per-request path: a breaker
 * created and closed (a close is a trip of kind {@code CLOSED}), and a multiplex of one breaker
 * tripped by it (kind {@code CHILD}), with Flight Recorder
 * <ul>
 *   <li>{@code off}: never started in this JVM (what production without JFR runs);</li>
 *   <li>{@code on}: a recording with the JDK's {@code default} settings, so the event has its
 *       default threshold (20 ms of breaker lifetime: these breakers live far less and are not
 *       recorded, as a million request breakers per second would not be);</li>
 *   <li>{@code all}: the same recording with the threshold at 0, so every trip is written (the
 *       worst case).</li>
 * </ul>
 * Run the same benchmark from a jar built before the event existed for the "before" figure.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
@Fork(1)
@State(Scope.Benchmark)
public class TripEventBenchmark extends TripShapes {
    @Param({"off", "on", "all"})
    public String recording;

    Recording jfr;
    Path file;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        if (recording.equals("off")) {
            return;
        }
        jfr = new Recording(Configuration.getConfiguration("default"));
        if (recording.equals("all")) {
            jfr.enable("dev.breaker.BreakerTripped").withThreshold(Duration.ZERO);
        }
        file = Files.createTempFile("trip-event", ".jfr");
        jfr.setDestination(file);
        jfr.start();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (jfr != null) {
            jfr.stop();
            jfr.close();
            Files.deleteIfExists(file);
        }
    }
}
