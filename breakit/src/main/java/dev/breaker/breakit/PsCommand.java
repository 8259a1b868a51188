package dev.breaker.breakit;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

@Command(name = "ps", mixinStandardHelpOptions = true,
        description = {"Lists the commands started with breakit after.",
                "",
                "Status: running, delayed, exit N; <last stderr line>, stopped after <duration>,",
                "killed (needed SIGKILL), or lost (its supervisor died). Finished ones only with -a."})
final class PsCommand implements Callable<Integer> {
    private final Env env;

    @Option(names = {"-a", "--all"}, description = "Include finished commands.")
    boolean all;

    @Option(names = "--json", description = "One JSON array, for scripts.")
    boolean json;

    PsCommand(Env env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        List<Entry> entries = env.store().list().stream()
                .filter(e -> all || e.live())
                .collect(Collectors.toList());
        env.out().print(json ? Json.render(entries) + "\n" : Table.render(entries, ZoneId.systemDefault()));
        env.out().flush();
        return 0;
    }
}
