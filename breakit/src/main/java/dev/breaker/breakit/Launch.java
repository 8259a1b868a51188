package dev.breaker.breakit;

import java.io.IOException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Starting the user's command, with GNU timeout's 126 (cannot run) and 127 (not found). */
final class Launch {
    static final int NOT_EXECUTABLE = 126;
    static final int NOT_FOUND = 127;
    private static final Pattern ERRNO = Pattern.compile("error=(\\d+), (.*)");

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
        List<String> command = builder.command();
        try {
            return builder.start();
        } catch (IOException e) {
            String msg = String.valueOf(e.getMessage());
            Matcher m = ERRNO.matcher(msg);
            int errno = m.find() ? Integer.parseInt(m.group(1)) : -1;
            String why = m.find(0) ? m.group(2) : msg;
            int status = errno == 2 ? NOT_FOUND : NOT_EXECUTABLE;  // ENOENT; EACCES, ENOEXEC, ...
            throw new Failed(status, "cannot run '" + command.get(0) + "': "
                    + (errno == 2 ? "command not found" : why), e);
        }
    }
}
