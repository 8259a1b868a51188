package dev.breaker.breakit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Stopping a command with everything it started, as GNU {@code timeout --kill-after} does: the
 * signal to the whole tree ({@link ProcessHandle#descendants()}), then SIGKILL to whatever of it
 * still runs after the grace period. Processes seen once stay in the set, so a grandchild
 * orphaned by its parent's death is still killed.
 */
final class ProcessTree {
    private static final System.Logger LOG = System.getLogger("dev.breaker.breakit");

    private ProcessTree() {
    }

    /**
     * Sends {@code signal} ("TERM", "INT" or "HUP") to {@code root} and its descendants, waits
     * up to {@code grace} for all of them to end, then SIGKILLs the rest.
     *
     * @return true if SIGKILL was needed
     */
    static boolean stop(ProcessHandle root, String signal, Duration grace) throws InterruptedException {
        Set<ProcessHandle> tree = new LinkedHashSet<>();
        tree.add(root);
        root.descendants().forEach(tree::add);
        send(signal, tree);
        long end = System.nanoTime() + grace.toNanos();
        while (true) {
            Set<ProcessHandle> late = newDescendants(tree);
            if (!late.isEmpty()) {
                tree.addAll(late);
                send(signal, late);
            }
            if (tree.stream().noneMatch(ProcessTree::running)) {
                return false;
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                break;
            }
            // polls /proc: a grandchild is not our child, so nothing can wait for it
            TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(20)));
        }
        boolean killed = false;
        for (int round = 0; round < 3; round++) {
            tree.addAll(newDescendants(tree));
            for (ProcessHandle h : tree) {
                if (running(h)) {
                    killed |= h.destroyForcibly();
                }
            }
        }
        LOG.log(System.Logger.Level.DEBUG, "sent SIGKILL to what was left of process {0} after {1}",
                root.pid(), Durations.format(grace));
        return killed || tree.stream().anyMatch(ProcessTree::running);
    }

    /** Sends {@code signal} to every process of {@code handles} that still runs. */
    static void send(String signal, Set<ProcessHandle> handles) {
        List<String> pids = new ArrayList<>();
        for (ProcessHandle h : handles) {
            if (!running(h)) {
                continue;
            }
            if (signal.equals("TERM")) {
                h.destroy();            // SIGTERM; the JDK checks the start time against pid reuse
            } else if (signal.equals("KILL")) {
                h.destroyForcibly();
            } else {
                pids.add(Long.toString(h.pid()));
            }
        }
        if (!pids.isEmpty()) {
            List<String> kill = new ArrayList<>(List.of("kill", "-s", signal));
            kill.addAll(pids);
            try {
                Process p = new ProcessBuilder(kill).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "could not send SIG" + signal, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Set<ProcessHandle> newDescendants(Set<ProcessHandle> tree) {
        Set<ProcessHandle> found = new LinkedHashSet<>();
        for (ProcessHandle h : tree) {
            if (running(h)) {
                h.descendants().filter(d -> !tree.contains(d)).forEach(found::add);
            }
        }
        return found;
    }

    /**
     * Whether {@code h} still runs. A zombie does not: killed orphans stay zombies where the
     * init process does not reap them (containers), and {@link ProcessHandle#isAlive()} says true.
     */
    static boolean running(ProcessHandle h) {
        if (!h.isAlive()) {
            return false;
        }
        Path stat = Path.of("/proc", Long.toString(h.pid()), "stat");
        try {
            String s = new String(Files.readAllBytes(stat), StandardCharsets.UTF_8);
            int close = s.lastIndexOf(')');
            if (close < 0 || close + 2 >= s.length()) {
                return true;
            }
            char state = s.charAt(close + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return !Files.isDirectory(Path.of("/proc", "self")) && h.isAlive();
        }
    }

    /**
     * Whether {@code /proc} shows this PID namespace: in one without its own {@code /proc}, it
     * shows the parent's, where our pids mean other processes. Then neither the JDK's
     * {@link ProcessHandle#descendants()} nor process states can be trusted.
     */
    static boolean procIsOurs() {
        try {
            String s = new String(Files.readAllBytes(Path.of("/proc/self/stat")), StandardCharsets.UTF_8);
            int space = s.indexOf(' ');
            return space > 0 && Long.parseLong(s.substring(0, space)) == ProcessHandle.current().pid();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The process group of {@code pid} from {@code /proc}, or -1. */
    static long pgid(long pid) {
        try {
            String s = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "stat")), StandardCharsets.UTF_8);
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ", 4);
            return Long.parseLong(f[2]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Sends signal {@code sig} (a number) to {@code target} with the shell's {@code kill}: a
     * process id, or a process group as {@code -pgid}. Returns whether kill succeeded (with
     * signal 0: whether anything is there to signal).
     */
    static boolean kill(int sig, long target) {
        try {
            // the shell's kill: procps' /usr/bin/kill takes "-- -2" for a usage error (a group 2
            // is common in a PID namespace)
            String name = sig == 0 || sig > 31 ? Integer.toString(sig) : SignalNames.name(sig);
            Process p = new ProcessBuilder("/bin/sh", "-c", "kill -s \"$0\" -- \"$1\"", name, Long.toString(target))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "BRKT015: could not run kill to send SIG" + SignalNames.name(sig), e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Whether any process of group {@code pgid} still runs (zombies do not), from {@code /proc}
     * if it is ours, else by asking {@code kill -0}.
     */
    static boolean groupRunning(long pgid, boolean procIsOurs) {
        if (!procIsOurs) {
            return kill(0, -pgid);
        }
        try (java.util.stream.Stream<Path> all = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) all::iterator) {
                String name = p.getFileName().toString();
                if (!name.isEmpty() && Character.isDigit(name.charAt(0)) && pgid(Long.parseLong(name)) == pgid
                        && ProcessHandle.of(Long.parseLong(name)).map(ProcessTree::running).orElse(false)) {
                    return true;
                }
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return kill(0, -pgid);
        }
    }

    /**
     * Stops the process group {@code root} leads (a command started through {@code setsid}):
     * SIGTERM and SIGCONT to the group, SIGTERM to the descendants that left it; after up to
     * {@code grace}, SIGKILL to whatever of them still runs. A grandchild re-parented away from
     * the tree is still in the group, so it is found without {@code /proc}.
     *
     * @param alive whether {@code root} itself still runs (exact for a child: its {@link Process})
     * @return true if SIGKILL was needed
     */
    static boolean stopGroup(ProcessHandle root, java.util.function.BooleanSupplier alive, Duration grace)
            throws InterruptedException {
        long pgid = root.pid();
        boolean proc = procIsOurs();
        Set<ProcessHandle> outsiders = new LinkedHashSet<>();
        if (proc) {
            addOutsiders(root, pgid, outsiders);
        }
        kill(SignalNames.TERM, -pgid);
        kill(SignalNames.CONT, -pgid);
        send("TERM", outsiders);
        long end = System.nanoTime() + grace.toNanos();
        while (true) {
            if (proc) {
                Set<ProcessHandle> before = new LinkedHashSet<>(outsiders);
                addOutsiders(root, pgid, outsiders);
                outsiders.removeAll(before);
                send("TERM", outsiders);
                outsiders.addAll(before);
            }
            if (!alive.getAsBoolean() && !groupRunning(pgid, proc) && outsiders.stream().noneMatch(ProcessTree::running)) {
                return false;
            }
            if (System.nanoTime() - end >= 0) {
                break;
            }
            TimeUnit.MILLISECONDS.sleep(20);   // polls: group members are no children of ours
        }
        kill(SignalNames.KILL, -pgid);
        for (ProcessHandle h : outsiders) {
            if (running(h)) {
                h.destroyForcibly();
            }
        }
        LOG.log(System.Logger.Level.DEBUG, "sent SIGKILL to what was left of process group {0} after {1}",
                pgid, Durations.format(grace));
        return true;
    }

    private static void addOutsiders(ProcessHandle root, long pgid, Set<ProcessHandle> into) {
        root.descendants().forEach(d -> {
            if (pgid(d.pid()) != pgid) {
                into.add(d);
            }
        });
    }
}
