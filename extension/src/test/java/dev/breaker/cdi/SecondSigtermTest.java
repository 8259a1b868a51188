package dev.breaker.cdi;

import io.smallrye.config.inject.ConfigExtension;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 29: a second SIGTERM (or Ctrl-C) during a shutdown that a hung stop holds up ends the
 * process at once, with status 143 (130 for SIGINT) and one BRKR019 line naming the worker that
 * had not stopped; the first one alone waits for the stop, as before.
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "sends POSIX signals with kill")
class SecondSigtermTest {

    /** Its stop hangs (interrupts included) far beyond the test: only a halt ends it. */
    @Worker
    public static class Hung {
        @PreDestroy
        void stop() {
            Child.say("STOPPING hung");
            CountDownLatch never = new CountDownLatch(1);
            while (true) {
                try {
                    never.await();
                } catch (InterruptedException ignored) {
                    // a stubborn stop: ignores its interrupt
                }
            }
        }
    }

    /** Run in a child JVM: Weld SE as a user boots it, with Weld's own shutdown hook. */
    public static final class Child {
        static void say(String line) {
            System.out.println(line);
            System.out.flush();
        }

        public static void main(String[] args) throws InterruptedException {
            new Weld().disableDiscovery().addBeanClasses(Hung.class)
                    .addExtensions(new BreakerExtension(), new ConfigExtension()).initialize();
            say("READY");
            Thread.currentThread().join(); // until the JVM goes
        }
    }

    @Test
    void aSecondSigtermHaltsAtOnceNamingTheUnfinishedWorker() throws Exception {
        runAndSignalTwice("TERM", 143);
    }

    @Test
    void aSecondSigintHaltsAtOnceWith130() throws Exception {
        runAndSignalTwice("INT", 130);
    }

    private static void runAndSignalTwice(String signal, int expected) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        // env --default-signal: a process started in the background by a script inherits SIGINT
        // ignored, and a JVM started so never reacts to it; a terminal's Ctrl-C reaches a process
        // whose SIGINT is the default, which is what this test is about
        Process child = new ProcessBuilder("env", "--default-signal=INT,TERM", java, "-Dbreaker.shutdown.timeout=120s",
                "-Dbreaker.worker.hung.stop-timeout=120s",
                "-cp", System.getProperty("java.class.path"), Child.class.getName())
                .redirectErrorStream(true).start();
        List<String> lines = new CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch outputEnded = new java.util.concurrent.CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String l; (l = out.readLine()) != null; ) {
                    synchronized (lines) {
                        lines.add(l);
                        lines.notifyAll();
                    }
                }
            } catch (java.io.IOException e) {
                // the child is gone
            } finally {
                synchronized (lines) {
                    outputEnded.countDown();
                    lines.notifyAll(); // the end of the output: a waiter decides now
                }
            }
        }, "child-output");
        reader.start();
        try {
            await(lines, l -> l.equals("READY"), child, outputEnded);
            kill(signal, child);
            await(lines, l -> l.equals("STOPPING hung"), child, outputEnded);
            assertTrue(child.isAlive(), "the first signal waits for the hung stop");
            long t0 = System.nanoTime();
            kill(signal, child);
            if (!child.waitFor(10, TimeUnit.SECONDS)) {
                fail("the second SIG" + signal + " did not end the process:\n" + String.join("\n", lines));
            }
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            reader.join(10_000);
            String out = String.join("\n", lines);
            System.out.println("second SIG" + signal + ": the process ended " + took.toMillis() + " ms after it");
            assertTrue(took.compareTo(Duration.ofSeconds(1)) < 0, "took " + took + ":\n" + out);
            assertEquals(expected, child.exitValue(), out);
            assertTrue(lines.stream().anyMatch(l -> l.contains("BRKR019: SIG" + signal
                    + " received again during the shutdown: halting now with status " + expected
                    + "; not finished: workers 'hung' (STOPPING)")), out);
        } finally {
            child.destroyForcibly();
        }
    }

    private static void kill(String signal, Process child) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(child.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor());
    }

    /**
     * Waits, bounded, until a line matches: woken by the reader at each line and at the end of the
     * child's output, after which it decides.
     */
    private static void await(List<String> lines, Predicate<String> wanted, Process child,
                              java.util.concurrent.CountDownLatch outputEnded) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        synchronized (lines) {
            while (lines.stream().noneMatch(wanted)) {
                if (outputEnded.getCount() == 0) {
                    fail("the child's output ended (alive: " + child.isAlive() + ") without the expected line:\n"
                            + String.join("\n", lines));
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    fail("expected line not seen within 60 s:\n" + String.join("\n", lines));
                }
                TimeUnit.NANOSECONDS.timedWait(lines, left);
            }
        }
    }
}
