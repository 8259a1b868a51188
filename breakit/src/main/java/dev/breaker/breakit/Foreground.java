package dev.breaker.breakit;

import dev.breaker.Breaker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code breakit run}: the command as a child sharing our terminal, a {@link Breaker} deadline,
 * and signal breakers that forward INT, TERM and HUP to the command's process tree.
 *
 * <p>The Breaker calls the JVM's own handler after tripping on those signals, so the JVM begins
 * to shut down; a shutdown hook then waits for the command's end and exits with its status.
 */
final class Foreground {
    static final int TIMED_OUT = 124;
    static final int KILLED = 137;

    private final List<String> command;
    private final Duration limit;
    private final Duration grace;
    private final Env env;

    Foreground(List<String> command, Duration limit, Duration grace, Env env) {
        this.command = command;
        this.limit = limit;
        this.grace = grace;
        this.env = env;
    }

    int run() throws Exception {
        return run(Duration.ZERO);
    }

    /** Waits {@code delay} first (within the limit, which counts from now), as {@code after --foreground}. */
    int run(Duration delay) throws Exception {
        CompletableFuture<Integer> status = new CompletableFuture<>();
        try (Breaker deadline = Breaker.byTimeout(limit);
             Breaker interrupt = Breaker.bySignal("INT");
             Breaker terminate = Breaker.bySignal("TERM");
             Breaker hangup = Breaker.bySignal("HUP");
             Breaker signalled = Breaker.multiplex(interrupt, terminate, hangup)) {
            Thread hook = new Thread(() -> exitWithStatus(signalled, status), "breakit-exit");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                int code = waitOut(delay, signalled)
                        ? supervise(deadline, interrupt, hangup, signalled)
                        : 128 + (interrupt.isBroken() ? 2 : hangup.isBroken() ? 1 : 15);
                status.complete(code);
                return code;
            } finally {
                status.complete(Main.FAILED);
                if (!signalled.isBroken()) {
                    try {
                        Runtime.getRuntime().removeShutdownHook(hook);
                    } catch (IllegalStateException shuttingDown) {
                        // the hook will find the status
                    }
                }
            }
        }
    }

    /** @return false if a signal came during the delay (the command then never starts) */
    private static boolean waitOut(Duration delay, Breaker signalled) throws InterruptedException {
        if (delay.isZero()) {
            return true;
        }
        try (Breaker start = Breaker.byTimeout(delay);
             Breaker any = Breaker.multiplex(start, signalled)) {
            any.await();
        }
        return !signalled.isBroken();
    }

    private int supervise(Breaker deadline, Breaker interrupt, Breaker hangup, Breaker signalled) throws Exception {
        Process process;
        try {
            process = Launch.start(new ProcessBuilder(command).inheritIO());
        } catch (Launch.Failed f) {
            env.err().println("breakit: " + f.getMessage());
            return f.status;
        }
        try (Breaker exited = Breaker.byFuture(process.onExit());
             Breaker any = Breaker.multiplex(exited, signalled, deadline)) {
            any.await();
            if (exited.isBroken()) {
                return process.exitValue();
            }
            String signal = signalled.isBroken()
                    ? (interrupt.isBroken() ? "INT" : hangup.isBroken() ? "HUP" : "TERM")
                    : "TERM";
            boolean killed = ProcessTree.stop(process.toHandle(), signal, grace);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                env.err().println("breakit: process " + process.pid() + " did not end after SIGKILL");
                return Main.FAILED;
            }
            if (killed) {
                return KILLED;
            }
            return signalled.isBroken() ? process.exitValue() : TIMED_OUT;
        }
    }

    /** In the JVM's shutdown after a signal: wait for the command's end, exit with its status. */
    private void exitWithStatus(Breaker signalled, CompletableFuture<Integer> status) {
        if (!signalled.isBroken()) {
            return;
        }
        try {
            int code = status.get(grace.toMillis() + 30_000, TimeUnit.MILLISECONDS);
            env.out().flush();
            env.err().flush();
            Runtime.getRuntime().halt(code);
        } catch (Exception e) {
            // give up waiting: the JVM exits with 128 + the signal
        }
    }
}
