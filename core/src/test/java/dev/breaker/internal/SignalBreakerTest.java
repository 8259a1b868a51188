package dev.breaker.internal;

import dev.breaker.Breaker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisabledOnOs(value = OS.WINDOWS, disabledReason = "sends a POSIX signal with kill")
class SignalBreakerTest {

    /** Run in a child JVM: waits for SIGTERM through a breaker, then lets the JVM exit. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("HOOK ran")));
            Breaker b = Breaker.bySignal("TERM");
            b.onBreak(() -> { // an action that takes a moment (say, a flush) still runs before the hooks
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                System.out.println("TRIPPED " + b.reason().orElseThrow());
            });
            System.out.println("READY");
            System.out.flush();
            b.await();
            // the chained JVM handler now runs the shutdown hooks and exits; never reach the end
            new java.util.concurrent.CountDownLatch(1).await(30, TimeUnit.SECONDS);
            System.out.println("NOT EXITED");
        }
    }

    /** Run in a child JVM: actions that throw an Error and block forever on SIGTERM. */
    public static final class HostileChild {
        public static void main(String[] args) throws Exception {
            java.util.logging.Logger.getLogger("dev.breaker").setLevel(java.util.logging.Level.OFF);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("HOOK ran")));
            Breaker b = Breaker.bySignal("TERM");
            b.onBreak(() -> {
                throw new StackOverflowError("thrown by the test");
            });
            b.onBreak(() -> {
                try {
                    new java.util.concurrent.CountDownLatch(1).await(); // blocks for good
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            b.done().thenRun(() -> {
                throw new OutOfMemoryError("thrown by the test");
            });
            System.out.println("READY");
            System.out.flush();
            new java.util.concurrent.CountDownLatch(1).await(30, TimeUnit.SECONDS);
            System.out.println("NOT EXITED");
        }
    }

    @Test
    void aRealSigtermTripsTheBreakerAndTheJvmStillRunsItsShutdownHooks() throws Exception {
        assertEquals(List.of("TRIPPED signal SIGTERM", "HOOK ran"), runAndTerminate(Child.class));
    }

    @Test
    void actionsThatThrowErrorsOrBlockDoNotKeepTheJvmFromExiting() throws Exception {
        assertEquals(List.of("HOOK ran"), runAndTerminate(HostileChild.class));
    }

    private static List<String> runAndTerminate(Class<?> main) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), main.getName())
                .redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertEquals("READY", line, "child did not start");
            Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(child.pid())).inheritIO().start();
            assertEquals(0, kill.waitFor());
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child did not exit after SIGTERM");
            for (String l; (l = out.readLine()) != null; ) {
                lines.add(l);
            }
        } finally {
            child.destroyForcibly();
        }
        assertEquals(143, child.exitValue(), "the JVM's own TERM handler exits with 128+15: " + lines);
        return lines;
    }

    @Test
    void sharedHandlerIsInstalledOnceAndRemovedWithTheLastBreaker() {
        Breaker a = Breaker.bySignal("HUP");
        Breaker b = Breaker.bySignal("SIGHUP", "hup");
        assertEquals(2, Signals.listeners("HUP"));
        a.close();
        assertEquals(1, Signals.listeners("HUP"));
        b.close();
        assertEquals(0, Signals.listeners("HUP"));
    }
}
