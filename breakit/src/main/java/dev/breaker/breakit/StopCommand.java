package dev.breaker.breakit;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

@Command(name = "stop", mixinStandardHelpOptions = true,
        description = {"Stops a command started with breakit after, now.",
                "",
                "SIGTERM to its process tree, SIGKILL after its grace period; waits until it has",
                "stopped and prints its status."})
final class StopCommand implements Callable<Integer> {
    private final Env env;

    @Parameters(paramLabel = "<id>", description = "The id printed by breakit after (a unique prefix will do).")
    String id;

    StopCommand(Env env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        Store store = env.store();
        Entry e = store.find(id);
        if (e.corrupt != null) {
            return stopCorrupt(e);
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (e.live() && e.supervisorPid == 0 && e.supervisorRunning() && System.nanoTime() < end) {
            Thread.sleep(20);   // the after command has not handed over yet
            e = store.read(e.id).orElseThrow();
        }
        if (!e.live()) {
            env.out().println(e.id + ": " + e.status());
            return 0;
        }
        Optional<ProcessHandle> supervisor = e.supervisorPid == 0 ? Optional.empty()
                : Entry.handle(e.supervisorPid, e.supervisorStart);
        if (supervisor.isEmpty()) {
            if (e.supervisorPid != 0) {
                // it may have finished and ended since e was read: read it again, now that it has ended
                e = store.read(e.id).orElseThrow();
                if (!e.live()) {
                    env.out().println(e.id + ": " + e.status());
                    return 0;
                }
            }
            return stopLost(store, e);
        }
        supervisor.get().destroy();   // SIGTERM: the supervisor stops the command and records it
        end = System.nanoTime() + e.grace.toNanos() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            // asked before the read: a supervisor that ended before it has written all it ever will
            // (asked after it, one that recorded the stop and ended in between was taken for lost,
            // and its record overwritten)
            boolean ended = !ProcessTree.running(supervisor.get());
            Entry now = store.read(e.id).orElseThrow();
            if (!now.live()) {
                awaitEnd(supervisor.get(), end);
                env.out().println(now.id + ": " + now.status());
                return 0;
            }
            if (ended) {
                return stopLost(store, now);
            }
            Thread.sleep(20);
        }
        env.err().println("breakit: BRKT016: " + e.id + " did not stop in time; see breakit logs " + e.id);
        return Main.FAILED;
    }

    /** The supervisor has recorded the stop; its JVM ends a moment later. Polls: it is no child of ours. */
    private static void awaitEnd(ProcessHandle supervisor, long endNanos) throws InterruptedException {
        while (ProcessTree.running(supervisor) && System.nanoTime() < endNanos) {
            Thread.sleep(10);
        }
    }

    /** The supervisor died: stop what is left of the command ourselves and record it. */
    private int stopLost(Store store, Entry e) throws Exception {
        Optional<ProcessHandle> command = e.pid == 0 ? Optional.empty() : Entry.handle(e.pid, e.pidStart);
        boolean killed = command.isPresent() && stop(command.get(), e);
        e.state = killed ? Entry.State.KILLED : Entry.State.STOPPED;
        e.stopReason = "request";
        e.endedAt = Instant.now();
        e.lastLine = "its supervisor was lost" + (command.isPresent() ? "" : "; the command had already ended");
        store.write(e);
        env.out().println(e.id + ": " + e.status() + " (its supervisor was lost)");
        return 0;
    }

    /**
     * A corrupt entry: stops what it still identifies (a process whose pid and start time it
     * holds, and which runs), and says what it did. Its file stays as it is, for a person to see.
     */
    private int stopCorrupt(Entry e) throws InterruptedException {
        Optional<ProcessHandle> supervisor = e.supervisorPid == 0 || e.supervisorStart == 0 ? Optional.empty()
                : Entry.handle(e.supervisorPid, e.supervisorStart);
        Optional<ProcessHandle> command = e.pid == 0 || e.pidStart == 0 ? Optional.empty()
                : Entry.handle(e.pid, e.pidStart);
        if (supervisor.isEmpty() && command.isEmpty()) {
            env.err().println("breakit: BRKT020: the state of " + e.id + " is corrupt (" + e.corrupt
                    + "): it names no running process to stop");
            return Main.FAILED;
        }
        supervisor.ifPresent(ProcessHandle::destroy);
        boolean killed = command.isPresent() && stop(command.get(), e);
        env.out().println(e.id + ": corrupt state (" + e.corrupt + "); stopped"
                + supervisor.map(h -> " supervisor " + h.pid()).orElse("")
                + command.map(h -> " process " + h.pid() + (killed ? " (needed SIGKILL)" : "")).orElse(""));
        return 0;
    }

    /** The command's process group if it leads one (started through setsid), else its tree. */
    private static boolean stop(ProcessHandle command, Entry e) throws InterruptedException {
        if (ProcessTree.pgid(command.pid()) == command.pid()) {
            return ProcessTree.stopGroup(command, () -> ProcessTree.running(command), e.grace);
        }
        return ProcessTree.stop(command, "TERM", e.grace);
    }
}
