package dev.breaker.breakit;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "logs", mixinStandardHelpOptions = true,
        description = {"Prints the output of a command started with breakit after.",
                "",
                "What it wrote to stdout and stderr, and the supervisor's notes."})
final class LogsCommand implements Callable<Integer> {
    private final Env env;

    @Parameters(paramLabel = "<id>", description = "The id printed by breakit after (a unique prefix will do).")
    String id;

    LogsCommand(Env env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        Entry e = env.store().find(id);
        Path log = env.store().log(e.id);
        if (e.corrupt != null) {
            env.err().println("breakit: BRKT020: the state of " + e.id + " is corrupt (" + e.corrupt + "); its log follows");
        }
        if (Files.isDirectory(log)) {
            env.err().println("breakit: BRKT020: the log of " + e.id + " is a directory: " + log);
            return Main.FAILED;
        }
        env.out().print(Files.exists(log) ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8) : "");
        env.out().flush();
        return 0;
    }
}
