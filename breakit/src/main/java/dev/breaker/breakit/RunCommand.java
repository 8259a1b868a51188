package dev.breaker.breakit;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/**
 * Only for {@code breakit --help}: {@code breakit run …} never reaches picocli ({@link Main}
 * hands it to {@link Timeout}, which reads GNU timeout's options by hand).
 */
@Command(name = "run", description = "Runs a command for a limited time, as GNU timeout does.")
final class RunCommand implements Callable<Integer> {
    RunCommand(Env env) {
        // nothing: see Timeout
    }

    @Override
    public Integer call() {
        Timeout.printHelp();
        return 0;
    }
}
