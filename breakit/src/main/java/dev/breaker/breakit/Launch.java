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
        check(name, builder.directory() == null ? Path.of("") : builder.directory().toPath());
        try {
            return builder.start();
        } catch (IOException e) {
            String msg = String.valueOf(e.getMessage());
            Matcher m = Pattern.compile("error=\\d+, (.*)|error: \\d+ \\((.*)\\)").matcher(msg);
            String why = !m.find() ? msg : m.group(1) != null ? m.group(1) : m.group(2);
            throw new Failed(NOT_EXECUTABLE, "BRKT011: cannot run '" + name + "': " + why.strip(), e);
        }
    }

    /**
     * Fails as a shell would before running {@code name}: 127 if it names no file, 126 if the
     * file it names is a directory or not executable. Needed where the command is started
     * through {@code setsid}, whose own failure would otherwise be all there is to see.
     */
    static void check(String name, Path dir) throws Failed {
        Path file = find(name, dir);
        if (file == null) {
            throw new Failed(NOT_FOUND, "BRKT010: cannot run '" + name + "': command not found", null);
        }
        if (Files.isDirectory(file) || !Files.isExecutable(file)) {
            throw new Failed(NOT_EXECUTABLE, "BRKT011: cannot run '" + name + "': Permission denied", null);
        }
    }

    /**
     * The file {@code name} names: as a path if it has a slash, else the first executable one in
     * a directory of the PATH, else the first one at all (the JDK searches this process's PATH,
     * as this does); null if none.
     */
    static Path find(String name, Path dir) {
        if (name.isEmpty()) {
            return null;
        }
        try {
            if (name.contains("/")) {
                Path p = dir.resolve(name);
                return Files.exists(p) ? p : null;
            }
            String path = System.getenv("PATH");
            path = path == null ? "/usr/bin:/bin" : path;
            Path first = null;
            for (String entry : path.split(":", -1)) {
                Path p = dir.resolve(entry.isEmpty() ? "." : entry).resolve(name);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return p;
                }
                if (first == null && Files.exists(p)) {
                    first = p;
                }
            }
            return first;
        } catch (InvalidPathException e) {
            return null;
        }
    }
}
