package dev.breaker.cdi;

import dev.breaker.worker.WorkerContext;
import io.smallrye.config.inject.ConfigExtension;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.jboss.weld.environment.se.Weld;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 10, item 4: a real SIGTERM while a worker is starting, on Weld SE with its own shutdown
 * hook (not {@code skipShutdownHook()}): the start breakers trip at once, what started is rolled
 * back, and the JVM exits within the shutdown timeout.
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "sends a POSIX signal with kill")
class SigtermDuringStartTest {

    /** Starts first and must be stopped by the rollback. */
    @Worker
    public static class Store {
        @PostConstruct
        void start() {
            Child.say("started store");
        }

        @PreDestroy
        void stop() {
            Child.say("stopped store");
        }
    }

    /** Blocks in its start until its start breaker trips. */
    @Worker
    @DependsOn(Store.class)
    public static class Slow {
        @PostConstruct
        void start() throws InterruptedException {
            var breaker = WorkerContext.current().orElseThrow().breaker();
            Child.say("READY");
            breaker.await(); // no start timeout: only a shutdown trips it
            Child.say("start breaker of slow tripped");
        }

        @PreDestroy
        void stop() {
            Child.say("stopped slow");
        }
    }

    /** Run in a child JVM: boots Weld SE as a user would, with Weld's own shutdown hook. */
    public static final class Child {
        static void say(String line) {
            System.out.println(line);
            System.out.flush();
        }

        public static void main(String[] args) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> say("JVM shutdown hooks running")));
            Weld weld = new Weld().disableDiscovery()
                    .addBeanClasses(Store.class, Slow.class)
                    .addExtensions(new BreakerExtension(), new ConfigExtension());
            try {
                weld.initialize();
                say("INITIALIZED (not expected)");
            } catch (RuntimeException e) {
                say("initialize failed: " + e.getClass().getSimpleName());
            }
        }
    }

    @Test
    void sigtermWhileAWorkerIsStartingRollsBackAndTheJvmExits() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-Dbreaker.shutdown.timeout=8s",
                "-cp", System.getProperty("java.class.path"), Child.class.getName())
                .redirectErrorStream(true).start();
        List<String> lines = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String l; (l = out.readLine()) != null; ) {
                    lines.add(l);
                    if (l.equals("READY")) {
                        ready.complete(null);
                    }
                }
            } catch (java.io.IOException e) {
                // the child is gone
            } finally {
                ready.complete(null);
            }
        }, "child-output");
        reader.start();
        try {
            ready.get(60, TimeUnit.SECONDS);
            assertTrue(lines.contains("READY"), "child did not reach the slow start: " + lines);
            Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(child.pid())).inheritIO().start();
            assertEquals(0, kill.waitFor());
            long t0 = System.nanoTime();
            if (!child.waitFor(15, TimeUnit.SECONDS)) {
                fail("child did not exit within 15 s of SIGTERM:\n" + String.join("\n", lines) + "\n"
                        + threadDump(child));
            }
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            reader.join(10_000);
            String out = String.join("\n", lines);
            assertTrue(took.compareTo(Duration.ofSeconds(8)) < 0, "exit took " + took + ":\n" + out);
            assertTrue(lines.contains("started store"), out);
            assertTrue(lines.contains("start breaker of slow tripped"), out);
            assertTrue(lines.contains("stopped slow"), out); // it did start, once its breaker tripped
            assertTrue(lines.contains("stopped store"), out);
            assertTrue(lines.indexOf("start breaker of slow tripped") < lines.indexOf("stopped slow"), out);
            assertTrue(lines.indexOf("stopped slow") < lines.indexOf("stopped store"), out);
            // "initialize failed" may or may not be printed: the JVM halts once the hooks are done
            assertTrue(lines.contains("JVM shutdown hooks running"), out);
            assertEquals(143, child.exitValue(), out);
        } finally {
            child.destroyForcibly();
        }
    }

    private static String threadDump(Process child) {
        try {
            Process jcmd = new ProcessBuilder("jstack", Long.toString(child.pid())).redirectErrorStream(true).start();
            String dump = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            jcmd.waitFor(10, TimeUnit.SECONDS);
            return dump;
        } catch (Exception e) {
            return "(no thread dump: " + e + ")";
        }
    }
}
