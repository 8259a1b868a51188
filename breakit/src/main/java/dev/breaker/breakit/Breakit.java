package dev.breaker.breakit;

/**
 * The jar's entry point: {@code breakit run …} goes straight to {@link Timeout} (no picocli, no
 * logger, no Breaker: the JVM loads only what running one command needs); the rest to
 * {@link Main}.
 */
public final class Breakit {
    private Breakit() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("run")) {
            Timeout.main(args);
        } else if (args.length == 4 && args[0].equals("supervise") && args[1].equals("--state")) {
            System.exit(supervise(args[2], args[3]));   // as after starts it: no picocli in a long-lived JVM
        } else {
            Main.main(args);
        }
    }

    private static int supervise(String state, String id) {
        try {
            return new Supervisor(new Store(java.nio.file.Path.of(state)), id).run();
        } catch (BadInput e) {
            System.err.println("breakit: " + e.getMessage());
            return Main.FAILED;
        } catch (Exception e) {
            System.getLogger("dev.breaker.breakit").log(System.Logger.Level.ERROR, "BRKT013: the supervisor failed", e);
            return Main.FAILED;
        }
    }
}
