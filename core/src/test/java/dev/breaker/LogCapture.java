package dev.breaker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Captures what the library logs through {@code System.Logger} under one logger name (which, in
 * a plain JDK, goes to java.util.logging): every level while open, the level before restored at
 * {@link #close}. Lines are kept formatted as a handler would print them, with their level and
 * failure; {@link #await} waits on this object's monitor, woken at each line. Thread-safe.
 */
public final class LogCapture extends Handler implements AutoCloseable {
    /** One published line. */
    public record Line(Level level, String message, Throwable thrown) {
        /** The line's code, such as {@code BRKR111}, or the empty string. */
        public String code() {
            return message.startsWith("BRKR") && message.length() >= 8 ? message.substring(0, 7) : "";
        }
    }

    private final Logger logger;
    private final Level before;
    private final List<Line> lines = new ArrayList<>();
    private volatile String failOn;

    /** Captures every level of {@code loggerName} and the loggers below it. */
    public LogCapture(String loggerName) {
        logger = Logger.getLogger(loggerName);
        before = logger.getLevel();
        setLevel(Level.ALL);
        logger.setLevel(Level.ALL);
        logger.setUseParentHandlers(false); // expected lines stay out of the test output
        logger.addHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
        Line line = new Line(record.getLevel(), new SimpleFormatter().formatMessage(record), record.getThrown());
        synchronized (this) {
            lines.add(line);
            notifyAll();
        }
        String code = failOn;
        if (code != null && line.message().startsWith(code + ": ")) {
            throw new IllegalStateException("a log handler failing on purpose at " + code);
        }
    }

    /**
     * From now on, publishing a line with {@code code} throws (after recording it), as a broken
     * handler would: in java.util.logging the failure reaches the code that logged.
     */
    public LogCapture failOn(String code) {
        failOn = code;
        return this;
    }

    /** The lines so far. */
    public synchronized List<Line> lines() {
        return List.copyOf(lines);
    }

    /** The lines so far whose message starts with {@code code}. */
    public synchronized List<Line> withCode(String code) {
        return lines.stream().filter(l -> l.message().startsWith(code + ": ")).toList();
    }

    /** The first line with {@code code}, waiting up to {@code timeout} for it; fails if none came. */
    public synchronized Line await(String code, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Line> found = withCode(code);
            if (!found.isEmpty()) {
                return found.get(0);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no " + code + " line within " + timeout + "; lines: " + lines);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** The only line with {@code code}; fails if there is none or more than one. */
    public synchronized Line only(String code) {
        List<Line> found = withCode(code);
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " " + code + " lines; lines: " + lines);
        }
        return found.get(0);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setLevel(before);
        logger.setUseParentHandlers(true);
    }
}
