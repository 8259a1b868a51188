package dev.breaker.breakit;

import dev.breaker.Breaker;

import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The detached supervisor of one {@code after} command: waits out the delay, runs the command
 * with its stdout and stderr in the log, and stops its process tree when the deadline
 * {@link Breaker} trips or when it is asked to stop (SIGTERM, from {@code breakit stop}). It is
 * the only writer of its entry from its first write on.
 */
final class Supervisor {
    private static final System.Logger LOG = System.getLogger("dev.breaker.breakit");

    private final Store store;
    private final String id;

    Supervisor(Store store, String id) {
        this.store = store;
        this.id = id;
    }

    int run() throws Exception {
        Entry e = store.read(id).orElseThrow(() -> new BadInput("BRKT006: unknown id '" + id + "'"));
        CountDownLatch recorded = new CountDownLatch(1);
        try (Breaker terminate = Breaker.bySignal("TERM");
             Breaker interrupt = Breaker.bySignal("INT");
             Breaker hangup = Breaker.bySignal("HUP");
             Breaker stop = Breaker.multiplex(terminate, interrupt, hangup);
             Breaker deadline = Breaker.byDeadline(e.deadline)) {
            // a stop signal shuts the JVM down once the breakers tripped: let it record the stop first
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (stop.isBroken()) {
                    try {
                        recorded.await(e.grace.toMillis() + 30_000, TimeUnit.MILLISECONDS);
                    } catch (InterruptedException ignored) {
                        Thread.currentThread().interrupt();
                    }
                }
            }, "breakit-record"));
            ProcessHandle self = ProcessHandle.current();
            e.supervisorPid = self.pid();
            e.supervisorStart = Entry.startOf(self);
            try {
                supervise(e, stop, deadline);
            } finally {
                recorded.countDown();
            }
        }
        return 0;
    }

    private void supervise(Entry e, Breaker stop, Breaker deadline) throws Exception {
        if (e.startAt.isAfter(Instant.now())) {
            e.state = Entry.State.DELAYED;
            store.write(e);
            LOG.log(System.Logger.Level.INFO, "{0}: delayed until {1}", id, e.startAt);
            try (Breaker start = Breaker.byDeadline(e.startAt);
                 Breaker wake = Breaker.multiplex(start, stop)) {
                wake.await();
            }
            if (stop.isBroken()) {
                finish(e, Entry.State.STOPPED, "request");
                return;
            }
        }
        // a process group of its own (setsid), so that a stop reaches what left the tree too
        String setsid = Env.setsidPath();
        List<String> argv = new ArrayList<>();
        if (setsid != null) {
            argv.add(setsid);
        }
        argv.addAll(e.command);
        ProcessBuilder builder = new ProcessBuilder(argv)
                .redirectInput(new File("/dev/null"))
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)   // our stdout is the log
                .redirectError(ProcessBuilder.Redirect.PIPE);
        Process process;
        try {
            Launch.check(e.command.get(0), Path.of(""));
            process = Launch.start(builder);
        } catch (Launch.Failed f) {
            e.startedAt = Instant.now();
            e.exitCode = f.status;
            e.lastLine = "breakit: " + f.getMessage();
            LOG.log(System.Logger.Level.INFO, "{0}: {1}", id, f.getMessage());
            finish(e, Entry.State.EXITED, null);
            return;
        }
        e.pid = process.pid();
        e.pidStart = Entry.startOf(process.toHandle());
        e.startedAt = Instant.now();
        e.state = Entry.State.RUNNING;
        store.write(e);
        LOG.log(System.Logger.Level.INFO, "{0}: started {1} as process {2}, until {3}",
                id, e.commandLine(), Long.toString(process.pid()), e.deadline);
        StderrPump pump = StderrPump.start(process.getErrorStream(), new FileOutputStream(FileDescriptor.err));
        try (Breaker exited = Breaker.byFuture(process.onExit());
             Breaker any = Breaker.multiplex(exited, stop, deadline)) {
            any.await();
            if (exited.isBroken()) {
                e.exitCode = process.exitValue();
                e.lastLine = pump.lastLine(1000);
                LOG.log(System.Logger.Level.INFO, "{0}: exit {1}", id, e.exitCode);
                finish(e, Entry.State.EXITED, null);
                return;
            }
            e.endedAt = Instant.now();
            String reason = stop.isBroken() ? "request" : "deadline";
            LOG.log(System.Logger.Level.INFO, "{0}: stopping on {1}: SIGTERM, SIGKILL after {2}",
                    id, reason, Durations.format(e.grace));
            boolean killed = setsid != null
                    ? ProcessTree.stopGroup(process.toHandle(), process::isAlive, e.grace)
                    : ProcessTree.stop(process.toHandle(), "TERM", e.grace);
            if (killed) {
                LOG.log(System.Logger.Level.INFO, "{0}: still running {1} after SIGTERM: sent SIGKILL",
                        id, Durations.format(e.grace));
            }
            process.waitFor(30, TimeUnit.SECONDS);
            e.exitCode = process.isAlive() ? -1 : process.exitValue();
            e.lastLine = pump.lastLine(1000);
            finish(e, killed ? Entry.State.KILLED : Entry.State.STOPPED, reason);
        }
    }

    private void finish(Entry e, Entry.State state, String reason) throws Exception {
        e.state = state;
        e.stopReason = reason;
        if (e.endedAt == null) {
            e.endedAt = Instant.now();
        }
        store.write(e);
    }
}
