package dev.breaker.breakit;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code breakit run [OPTION] DURATION COMMAND [ARG]…}: GNU {@code timeout}'s interface, options
 * and exit statuses, without picocli (it is read by hand, as {@code getopt_long} would, which
 * also keeps the start-up small).
 *
 * <p>The command runs in a session and process group of its own ({@code setsid}; unless
 * {@code --foreground}); every signal breakit sends goes to that group, and to the descendants
 * that left it (found through {@code /proc}, when it is this PID namespace's). Signals caught by
 * {@link Trap} from the first moment of {@code main} are forwarded in order, those that came
 * before the command existed as soon as it has started. When the command dies of a signal that
 * breakit did not send on a timeout, breakit dies of it too.
 */
final class Timeout {
    static final int TIMED_OUT = 124;
    static final int FAILED = 125;
    static final String USAGE = "breakit run [OPTION] DURATION COMMAND [ARG]...";
    private static final long NONE = Long.MAX_VALUE;

    List<String> command = List.of();
    long limit;                 // nanoseconds; 0 or Long.MAX_VALUE: no limit
    int signal = SignalNames.TERM;
    long killAfter;             // nanoseconds; 0: never SIGKILL
    boolean preserve;
    boolean foreground;
    boolean verbose;
    long delay;                 // nanoseconds to wait before starting (after --foreground … delay)
    /** main's arguments and where the command begins in them, to find its bytes in /proc/self/cmdline. */
    private String[] mainArgs;
    private int commandFrom;
    private final PrintWriter err;

    Timeout(PrintWriter err) {
        this.err = err;
    }

    /** {@code breakit run …}: arms the signal handlers before anything else, runs, exits. */
    static void main(String[] args) {
        Trap.arm();
        PrintWriter err = new PrintWriter(System.err, true);
        int status = execute(args, err);
        System.out.flush();
        err.flush();
        if (status < 0) {
            raise(-status);
        }
        System.exit(status);
    }

    /** Runs {@code args} (from "run" on): the exit status, or minus the signal to die of. */
    static int execute(String[] args, PrintWriter err) {
        try {
            Timeout t = parse(args, 1, err);
            return t == null ? 0 : t.run();
        } catch (BadInput e) {
            err.println("breakit: " + e.getMessage());
            return FAILED;
        } catch (Throwable e) {
            err.println("breakit: BRKT013: breakit failed: " + e);
            return FAILED;
        }
    }

    /** Dies of {@code sig} as the command did, so that our parent sees a signal death too. */
    private static void raise(int sig) {
        String name = SignalNames.name(sig);
        if (sig == SignalNames.KILL || Trap.reset(name)) {
            ProcessTree.kill(sig, ProcessHandle.current().pid());
            try {
                // the signal is on its way: wait for it, within bounds
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        System.exit(128 + sig);
    }

    /**
     * Reads {@code args} from {@code from} on as GNU {@code timeout} reads its own: options up to
     * the first word that is none (or {@code --}), then DURATION, then the command. A {@code --}
     * right after DURATION is our older form and is skipped. Null after {@code --help} or
     * {@code --version} (printed).
     */
    static Timeout parse(String[] args, int from, PrintWriter err) {
        Timeout t = new Timeout(err);
        String signal = null;
        int i = from;
        while (i < args.length) {
            String a = args[i];
            if (a.equals("--")) {
                i++;
                break;
            }
            if (a.startsWith("--")) {
                int eq = a.indexOf('=');
                String name = longName(eq < 0 ? a.substring(2) : a.substring(2, eq));
                boolean takesValue = name.equals("signal") || name.equals("kill-after") || name.equals("grace");
                String value = null;
                if (takesValue) {
                    if (eq >= 0) {
                        value = a.substring(eq + 1);
                    } else if (i + 1 < args.length) {
                        value = args[++i];
                    } else {
                        throw new BadInput("BRKT003: option '--" + name + "' requires an argument (" + USAGE + ")");
                    }
                } else if (eq >= 0) {
                    throw new BadInput("BRKT003: option '--" + name + "' doesn't allow an argument (" + USAGE + ")");
                }
                switch (name) {
                    case "signal": signal = value; break;
                    case "kill-after": case "grace": t.killAfter = Durations.parseTimeout(value, "--" + name); break;
                    case "preserve-status": t.preserve = true; break;
                    case "foreground": t.foreground = true; break;
                    case "verbose": t.verbose = true; break;
                    case "help": printHelp(); return null;
                    default: System.out.println(Main.VERSION); return null;   // version
                }
                i++;
                continue;
            }
            if (a.length() < 2 || a.charAt(0) != '-') {
                break;
            }
            for (int c = 1; c < a.length(); c++) {
                char o = a.charAt(c);
                if (o == 's' || o == 'k') {
                    String value;
                    if (c + 1 < a.length()) {
                        value = a.substring(c + 1);
                    } else if (i + 1 < args.length) {
                        value = args[++i];
                    } else {
                        throw new BadInput("BRKT003: option requires an argument -- '" + o + "' (" + USAGE + ")");
                    }
                    if (o == 's') {
                        signal = value;
                    } else {
                        t.killAfter = Durations.parseTimeout(value, "-k");
                    }
                    break;
                } else if (o == 'p') {
                    t.preserve = true;
                } else if (o == 'f') {
                    t.foreground = true;
                } else if (o == 'v') {
                    t.verbose = true;
                } else {
                    throw new BadInput("BRKT003: invalid option -- '" + o + "' (" + USAGE + ")");
                }
            }
            i++;
        }
        if (i >= args.length) {
            throw new BadInput("BRKT004: missing DURATION and COMMAND (" + USAGE + ")");
        }
        t.limit = Durations.parseTimeout(args[i], "duration");
        i++;
        if (i < args.length && args[i].equals("--")) {
            i++;
        }
        if (i >= args.length) {
            throw new BadInput("BRKT004: missing COMMAND after the duration '" + args[i - 1] + "' (" + USAGE + ")");
        }
        if (signal != null) {
            t.signal = SignalNames.parse(signal);
            if (t.signal < 0) {
                throw new BadInput("BRKT002: invalid signal '" + signal + "' (a name such as TERM or HUP, or a number)");
            }
            Trap.arm(SignalNames.name(t.signal));
        }
        t.mainArgs = args;
        t.commandFrom = i;
        List<String> cmd = new ArrayList<>(args.length - i);
        for (int k = i; k < args.length; k++) {
            cmd.add(args[k]);
        }
        t.command = cmd;
        return t;
    }

    private static final String[] LONG = {"signal", "kill-after", "grace", "preserve-status", "foreground", "verbose",
            "help", "version"};

    /** The long option {@code given} abbreviates (a unique prefix will do, as with getopt_long). */
    private static String longName(String given) {
        String found = null;
        for (String name : LONG) {
            if (name.equals(given)) {
                return name;
            }
            if (!given.isEmpty() && name.startsWith(given)) {
                if (found != null) {
                    throw new BadInput("BRKT003: option '--" + given + "' is ambiguous (" + USAGE + ")");
                }
                found = name;
            }
        }
        if (found == null) {
            throw new BadInput("BRKT003: unrecognized option '--" + given + "' (" + USAGE + ")");
        }
        return found;
    }

    static void printHelp() {
        System.out.print("Usage: " + USAGE + "\n"
                + "Starts COMMAND and sends it a signal if it still runs after DURATION, as GNU timeout does.\n\n"
                + "  -s, --signal=SIGNAL      signal to send on timeout (name such as TERM or HUP, or a number; default TERM)\n"
                + "  -k, --kill-after=DURATION  also send KILL if COMMAND still runs this long after that signal\n"
                + "      --grace=DURATION     the same as --kill-after (breakit's older name)\n"
                + "  -p, --preserve-status    exit with COMMAND's status even when it timed out\n"
                + "  -f, --foreground         run COMMAND in breakit's own process group: it can use the terminal,\n"
                + "                           its children are not signalled\n"
                + "  -v, --verbose            say on stderr which signal is sent on timeout\n"
                + "      --help, --version\n\n"
                + "DURATION: a number of seconds with an optional suffix s, m, h or d (5, 10.5, .1, 1e3, 1d);\n"
                + "0 means no limit. Also 500ms, 1h30m (Go) and PT10M (ISO-8601). The older form\n"
                + "'breakit run DURATION -- COMMAND' still works.\n\n"
                + "Exit status: COMMAND's; 124 if it timed out (and no -p); 125 if breakit failed or the\n"
                + "input was bad; 126 if COMMAND cannot be run; 127 if it was not found; 137 if it was killed\n"
                + "with KILL. If COMMAND dies of a signal that breakit did not send on a timeout, breakit\n"
                + "dies of that signal too.\n");
        System.out.flush();
    }

    /** Runs the command: its status, or minus the signal breakit should die of. */
    int run() throws IOException, InterruptedException {
        if (delay > 0) {
            long end = System.nanoTime() + delay;
            for (long left = delay; left > 0; left = end - System.nanoTime()) {
                Integer ev = Trap.EVENTS.poll(left, TimeUnit.NANOSECONDS);
                if (ev != null && ev > 0) {
                    return 128 + ev;   // stopped during the delay: the command never starts
                }
            }
        }
        List<String> argv = new ArrayList<>();
        String setsid = foreground ? null : Env.setsidPath();
        List<String> bytes = RawArgs.script(command, mainArgs, commandFrom);
        if (bytes == null) {
            try {
                Launch.check(command.get(0), java.nio.file.Path.of(""));
            } catch (Launch.Failed f) {
                err.println("breakit: " + f.getMessage());
                return f.status;
            }
        }
        if (setsid != null) {
            argv.add(setsid);
        }
        argv.addAll(bytes != null ? bytes : command);
        Process process;
        try {
            process = Launch.start(new ProcessBuilder(argv).inheritIO());
        } catch (Launch.Failed f) {
            err.println("breakit: " + f.getMessage());
            return f.status;
        }
        long started = System.nanoTime();
        Thread waiter = new Thread(new Waiter(process), "breakit-wait");
        waiter.setDaemon(true);
        waiter.start();
        Stopper stopper = null;   // made at the first signal: it reads /proc, which a plain run needs not

        boolean limited = limit > 0 && limit != Long.MAX_VALUE;
        boolean timedOut = false;
        boolean killed = false;
        long killAt = NONE;
        long killAfterLeft = killAfter;
        while (true) {
            long now = System.nanoTime();
            long wait = NONE;
            if (limited && !timedOut) {
                wait = Math.max(0, limit - (now - started));
            }
            if (killAt != NONE) {
                wait = Math.min(wait, Math.max(0, killAt - now));
            }
            Integer ev = wait == NONE ? Trap.EVENTS.take() : Trap.EVENTS.poll(wait, TimeUnit.NANOSECONDS);
            if (ev != null && ev == Trap.EXITED) {
                break;
            }
            int send;
            if (ev == null) {
                if (killAt != NONE && System.nanoTime() - killAt >= 0) {
                    send = SignalNames.KILL;
                    killAt = NONE;
                } else if (limited && !timedOut && System.nanoTime() - started >= limit) {
                    timedOut = true;
                    send = signal;
                } else {
                    continue;
                }
            } else if (ev == SignalNames.ALRM) {
                timedOut = true;   // as GNU: an ALRM sent to breakit is a timeout now
                send = signal;
            } else {
                send = ev;
            }
            if (send != SignalNames.KILL && killAfterLeft > 0 && killAfterLeft != Long.MAX_VALUE) {
                killAt = System.nanoTime() + killAfterLeft;
                killAfterLeft = 0;
            }
            if (verbose) {
                err.println("breakit: BRKT012: sending signal " + SignalNames.name(send) + " to command '"
                        + command.get(0) + "'");
            }
            killed |= send == SignalNames.KILL;
            if (stopper == null) {
                stopper = new Stopper(process, setsid != null);
            }
            stopper.send(send);
        }
        int code = process.exitValue();
        if (stopper != null) {
            stopper.sweep(killAt == NONE ? 0 : killAt);
        }
        // the JDK reports a death by signal n as 128 + n, like a normal exit with that status
        int sig = code > 128 && code <= 128 + 64 ? code - 128 : 0;
        if (sig != 0 && !timedOut && !foreground && SignalNames.terminates(sig)) {
            return -sig;
        }
        if (timedOut && killed && sig == SignalNames.KILL) {
            return code;   // 137: it had to be killed, even without -p (as GNU)
        }
        return timedOut && !preserve ? TIMED_OUT : code;
    }

    /** Posts {@link Trap#EXITED} once the command has ended. Survives anything. */
    private static final class Waiter implements Runnable {
        private final Process process;

        Waiter(Process process) {
            this.process = process;
        }

        @Override
        public void run() {
            try {
                while (true) {
                    try {
                        process.waitFor();
                        return;
                    } catch (InterruptedException e) {
                        // nobody should interrupt this thread: keep waiting
                    } catch (Throwable t) {
                        if (!process.isAlive()) {
                            return;
                        }
                    }
                }
            } finally {
                Trap.EVENTS.add(Trap.EXITED);
            }
        }
    }

    /**
     * Sends signals to the command: its process group (when it has one of its own) plus the
     * descendants that left the group; else the command alone (--foreground).
     */
    private final class Stopper {
        private final Process process;
        private final boolean group;
        private final boolean procIsOurs = ProcessTree.procIsOurs();
        private final Set<ProcessHandle> outsiders = new LinkedHashSet<>();

        Stopper(Process process, boolean group) {
            this.process = process;
            this.group = group;
        }

        void send(int sig) {
            if (!group) {
                one(sig, process.toHandle());
                if (!foreground && procIsOurs) {
                    // no setsid here: the tree instead of the group
                    process.toHandle().descendants().forEach(d -> one(sig, d));
                }
                return;
            }
            findOutsiders();
            ProcessTree.kill(sig, -process.pid());
            for (ProcessHandle h : outsiders) {
                one(sig, h);
            }
            if (sig != SignalNames.KILL && sig != SignalNames.CONT) {
                // as GNU: a stopped process gets the signal only once it continues
                ProcessTree.kill(SignalNames.CONT, -process.pid());
            }
        }

        private void one(int sig, ProcessHandle h) {
            if (sig == SignalNames.TERM) {
                h.destroy();
            } else if (sig == SignalNames.KILL) {
                h.destroyForcibly();
            } else if (h.isAlive()) {
                ProcessTree.kill(sig, h.pid());
            }
        }

        /** Descendants (seen once, kept) that are in another process group: setsid, daemons. */
        private void findOutsiders() {
            if (!procIsOurs) {
                return;
            }
            long pgid = process.pid();
            process.toHandle().descendants().forEach(d -> {
                if (ProcessTree.pgid(d.pid()) != pgid) {
                    outsiders.add(d);
                }
            });
        }

        /**
         * After the command's end: lets what is left of its group and outsiders end too (they
         * were signalled). Until {@code killAt} (then SIGKILL), if a SIGKILL is due; else for
         * at most a second, and what still runs then is left running, as GNU leaves it.
         */
        void sweep(long killAt) throws InterruptedException {
            if (!group) {
                return;
            }
            long end = killAt != 0 ? killAt : System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (left()) {
                if (System.nanoTime() - end >= 0) {
                    if (killAt != 0) {
                        send(SignalNames.KILL);
                    }
                    return;
                }
                Thread.sleep(20);   // polls: these are no children of ours, nothing can wait for them
            }
        }

        private boolean left() {
            if (ProcessTree.groupRunning(process.pid(), procIsOurs)) {
                return true;
            }
            for (ProcessHandle h : outsiders) {
                if (ProcessTree.running(h)) {
                    return true;
                }
            }
            return false;
        }
    }
}
