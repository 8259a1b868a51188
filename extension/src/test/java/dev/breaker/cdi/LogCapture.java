package dev.breaker.cdi;

import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures the extension's log ({@code dev.breaker.cdi}, DEBUG included: System.Logger's DEBUG is
 * JUL's FINE) into a list, formatted, until closed; then the logger's level is restored.
 */
final class LogCapture extends Handler implements AutoCloseable {
    private final Logger logger = Logger.getLogger("dev.breaker.cdi");
    private final Level before = logger.getLevel();
    private final List<String> messages;

    LogCapture(List<String> messages) {
        this.messages = messages;
        setLevel(Level.ALL);
        logger.setLevel(Level.ALL);
        logger.addHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
        messages.add(new java.util.logging.SimpleFormatter().formatMessage(record));
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setLevel(before);
    }
}
