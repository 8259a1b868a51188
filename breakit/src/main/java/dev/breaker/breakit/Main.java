package dev.breaker.breakit;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.List;

/**
 * {@code breakit}: runs commands for a limited time. Exit statuses follow GNU {@code timeout}
 * (the command's, 124 time ran out, 125 breakit failed or bad input, 126 cannot run, 127 not
 * found). {@code run} never comes here: see {@link Breakit}.
 */
@Command(name = "breakit", mixinStandardHelpOptions = true, version = Main.VERSION,
        description = {"Runs commands for a limited time.", "",
                "  breakit run [OPTION] DURATION COMMAND [ARG]...   (as GNU timeout)",
                "  breakit after [--grace D] [--foreground] D [delay D] -- COMMAND [ARG]...",
                "  breakit ps [-a] [--json] | breakit logs ID | breakit stop ID", ""},
        subcommands = {RunCommand.class, AfterCommand.class, PsCommand.class, StopCommand.class,
                LogsCommand.class, SuperviseCommand.class},
        footer = {"", "Durations: 5, 10.5, 1e3, 1d, 0 (no limit) as GNU timeout's, for run only;",
                "10m, 1h30m, 500ms, 2s (Go) or PT10M (ISO-8601) everywhere.",
                "Bad input: exit status 125 and one line 'breakit: BRKTnnn: ...'.",
                "State: $XDG_STATE_HOME/breakit (default ~/.local/state/breakit)."})
public final class Main implements Runnable {
    static final int USAGE = 125;
    static final int FAILED = 125;
    private static final System.Logger LOG = System.getLogger("dev.breaker.breakit");

    @Spec
    CommandSpec spec;

    /** The command line as given, to find the {@code --} that picocli swallows. */
    final List<String> args;

    Main(List<String> args) {
        this.args = args;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command: run, after, ps, stop or logs");
    }

    static final String VERSION = "breakit 0.1.0-SNAPSHOT";

    public static void main(String[] args) {
        int status = execute(args, Env.system());
        System.exit(status);
    }

    static int execute(String[] args, Env env) {
        if (args.length > 0 && args[0].equals("run")) {
            int status = Timeout.execute(args, env.err());
            env.err().flush();
            return status < 0 ? 128 - status : status;
        }
        CommandLine cl = new CommandLine(Main.class, new Factory(env, List.of(args)));
        cl.setOut(env.out());
        cl.setErr(env.err());
        cl.setExpandAtFiles(false);
        cl.setUnmatchedOptionsArePositionalParams(true);   // "-1s" is a negative duration, not an option
        cl.setParameterExceptionHandler((ex, a) -> {
            env.err().println("breakit: BRKT007: " + firstLine(ex.getMessage()) + " (see breakit --help)");
            return USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof BadInput || ex instanceof ParameterException) {
                env.err().println("breakit: " + (ex instanceof BadInput ? "" : "BRKT007: ") + firstLine(ex.getMessage()));
                return USAGE;
            }
            LOG.log(System.Logger.Level.DEBUG, "breakit failed", ex);
            env.err().println("breakit: BRKT013: breakit failed: " + ex);
            return FAILED;
        });
        try {
            return cl.execute(args);
        } finally {
            env.out().flush();
            env.err().flush();
        }
    }

    private static String firstLine(String s) {
        String t = String.valueOf(s).strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl).strip();
    }

    /** The words before {@code --} (without the options picocli took) and the command after it. */
    record Split(List<String> before, List<String> command) {
    }

    static Split split(List<String> args, List<String> positionals, String usage) {
        int dashes = args.indexOf("--");
        if (dashes < 0) {
            throw new BadInput("BRKT004: missing '--' before the command: " + usage);
        }
        List<String> command = args.subList(dashes + 1, args.size());
        if (command.isEmpty()) {
            throw new BadInput("BRKT004: no command after '--': " + usage);
        }
        if (positionals.size() < command.size()
                || !positionals.subList(positionals.size() - command.size(), positionals.size()).equals(command)) {
            throw new BadInput("BRKT004: cannot tell the command from breakit's arguments: " + usage);
        }
        return new Split(List.copyOf(positionals.subList(0, positionals.size() - command.size())),
                List.copyOf(command));
    }

    /** Gives each command the {@link Env} (and the top command the raw arguments). */
    private static final class Factory implements CommandLine.IFactory {
        private final Env env;
        private final List<String> args;

        Factory(Env env, List<String> args) {
            this.env = env;
            this.args = args;
        }

        @Override
        public <K> K create(Class<K> cls) throws Exception {
            if (cls == Main.class) {
                return cls.cast(new Main(args));
            }
            try {
                return cls.getDeclaredConstructor(Env.class).newInstance(env);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(cls);
            }
        }
    }

}
