package dev.breaker.breakit;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** The detached supervisor that {@code after} starts in a JVM of its own. Not for people. */
@Command(name = "supervise", hidden = true)
final class SuperviseCommand implements Callable<Integer> {
    @Option(names = "--state", required = true)
    Path state;

    @Parameters(index = "0")
    String id;

    SuperviseCommand(Env env) {
        // the state directory comes from the after command, not from this JVM's environment
    }

    @Override
    public Integer call() throws Exception {
        return new Supervisor(new Store(state), id).run();
    }
}
