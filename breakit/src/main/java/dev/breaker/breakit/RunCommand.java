package dev.breaker.breakit;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs a command in the foreground for a limited time, as GNU timeout does.",
                "",
                "After <duration>: SIGTERM to the command and its children, SIGKILL after the grace.",
                "Exit status: the command's; 124 if the time ran out; 137 if it then had to be killed;",
                "125 if breakit failed; 126 if the command cannot be run; 127 if it was not found; 2 bad input.",
                "SIGINT, SIGTERM and SIGHUP sent to breakit are forwarded to the command and its children."})
final class RunCommand implements Callable<Integer> {
    static final String USAGE = "breakit run [--grace <duration>] <duration> -- <command> [args...]";

    private final Env env;

    @ParentCommand
    Main parent;

    @Option(names = "--grace", paramLabel = "<duration>", defaultValue = "5s",
            description = "How long the command has to end after SIGTERM before SIGKILL (default: ${DEFAULT-VALUE}).")
    String grace;

    @Parameters(paramLabel = "<duration> -- <command>", arity = "1..*",
            description = "How long the command may run, then -- and the command with its arguments.")
    List<String> words = new ArrayList<>();

    RunCommand(Env env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        Main.Split split = Main.split(parent.args, words, USAGE);
        if (split.before().size() != 1) {
            throw new BadInput("expected one duration before '--': " + USAGE);
        }
        Duration limit = Durations.parsePositive(split.before().get(0), "duration");
        Duration graceTime = Durations.parse(grace, "--grace");
        return new Foreground(split.command(), limit, graceTime, env).run();
    }
}
