package dev.breaker.breakit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Copies the command's stderr to the log, remembering its last non-blank line. */
final class StderrPump implements Runnable {
    private static final int MAX_LINE = 4096;
    private final InputStream in;
    private final OutputStream out;
    private final CountDownLatch eof = new CountDownLatch(1);
    private volatile String last;

    private StderrPump(InputStream in, OutputStream out) {
        this.in = in;
        this.out = out;
    }

    static StderrPump start(InputStream in, OutputStream out) {
        StderrPump pump = new StderrPump(in, out);
        Thread t = new Thread(pump, "breakit-stderr");
        t.setDaemon(true);     // a grandchild may keep the pipe open after the command ended
        t.start();
        return pump;
    }

    @Override
    public void run() {
        byte[] buf = new byte[8192];
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                out.flush();
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        take(line);
                    } else if (line.size() < MAX_LINE) {
                        line.write(buf[i]);
                    }
                }
            }
        } catch (IOException e) {
            // the command or we went away: keep what we have
        } finally {
            take(line);
            eof.countDown();
        }
    }

    private void take(ByteArrayOutputStream line) {
        String s = line.toString(StandardCharsets.UTF_8).strip();
        line.reset();
        if (!s.isEmpty()) {
            last = s.length() > 200 ? s.substring(0, 200) : s;
        }
    }

    /** The last non-blank line, after waiting up to {@code millis} for the end of the stream. */
    String lastLine(long millis) throws InterruptedException {
        eof.await(millis, TimeUnit.MILLISECONDS);
        return last;
    }
}
