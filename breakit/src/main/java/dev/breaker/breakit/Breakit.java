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
        } else {
            Main.main(args);
        }
    }
}
