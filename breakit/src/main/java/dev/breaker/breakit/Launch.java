package dev.breaker.breakit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starting the user's command, with GNU timeout's 127 (not found) and 126 (found but cannot be
 * run). Which one is decided as a shell does, by looking the command up first: the JDK's
 * exception texts differ between releases ({@code error=2, …} on 17, {@code Exec failed, error: 2
 * (…)} on 25).
 */
final class Launch {
    static final int NOT_EXECUTABLE = 126;
    static final int NOT_FOUND = 127;
    private static final Pattern REASON = Pattern.compile("error=\\d+, (.*)|error: \\d+ \\((.*)\\)");

    private Launch() {
    }

    /** The command could not be started: the exit status to report and a one-line message. */
    static final class Failed extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        Failed(int status, String message, Throwable cause) {
            super(message, cause);
            this.status = status;
        }
    }

    static Process start(ProcessBuilder builder) throws Failed {
        String name = builder.command().get(0);
        if (!exists(name, builder.directory() == null ? Path.of("") : builder.directory().toPath())) {
            throw new Failed(NOT_FOUND, "cannot run '" + name + "': command not found", null);
        }
        try {
            return builder.start();
        } catch (IOException e) {
            String msg = String.valueOf(e.getMessage());
            Matcher m = REASON.matcher(msg);
            String why = !m.find() ? msg : m.group(1) != null ? m.group(1) : m.group(2);
            throw new Failed(NOT_EXECUTABLE, "cannot run '" + name + "': " + why.strip(), e);
        }
    }

    /**
     * Whether {@code name} names a file: as a path if it has a slash, else in a directory of the
     * PATH (the JDK searches this process's PATH, as this does).
     */
    static boolean exists(String name, Path dir) {
        if (name.isEmpty()) {
            return false;
        }
        try {
            if (name.contains("/")) {
                return Files.exists(dir.resolve(name));
            }
            String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
            for (String entry : path.split(":", -1)) {
                if (Files.exists(dir.resolve(entry.isEmpty() ? "." : entry).resolve(name))) {
                    return true;
                }
            }
            return false;
        } catch (InvalidPathException e) {
            return false;
        }
    }
}
