package dev.breaker.tck.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Steady load on a server while it shuts down: {@code clients} threads each send {@code GET path}
 * every {@code periodMillis} (staggered), and one poller reads the readiness endpoint every 50 ms.
 * Every request opens a new connection ({@code Connection: close}), so an answer that never comes
 * is the server's doing, never a kept-alive connection closed between two requests.
 *
 * <p>Each request is classified by what the client saw:
 * <ul>
 * <li><b>answered</b>: a 2xx status;</li>
 * <li><b>refused</b>: a 503, or the connection refused (the port is closed): a client or load
 * balancer knows at once that it must go elsewhere, and nothing was half done;</li>
 * <li><b>failed</b>: anything else: another status (a 404 from an application already gone, a
 * 500), a connection accepted and then reset or closed before a complete answer, or no answer
 * within {@link #TIMEOUT_MILLIS}.</li>
 * </ul>
 * Times are in milliseconds relative to the SIGTERM ({@link #sigtermAt}), by when the request was
 * sent. Thread-safe: samples are appended under the run's monitor.
 */
final class LoadRun implements AutoCloseable {
    static final int TIMEOUT_MILLIS = 3_000;
    /**
     * The test application's {@code breaker-workers} check (its data names the worker {@code front}):
     * WildFly also lists the check of the failed cycle application, DOWN with no data.
     */
    private static final Pattern WORKERS_CHECK = Pattern.compile("\"name\"\\s*:\\s*\"breaker-workers\"\\s*,"
            + "\\s*\"status\"\\s*:\\s*\"(UP|DOWN)\"\\s*,\\s*\"data\"\\s*:\\s*\\{[^}]*\"front\"");

    /** What the client saw: an HTTP status (or -1) and, without one, why. */
    record Sample(long sentNanos, boolean readiness, int status, String error, String workers, String body) {
        String outcome() {
            if (status >= 200 && status < 300) {
                return "answered";
            }
            if (status == 503 || "refused".equals(error)) {
                return "refused";
            }
            return "failed";
        }

        /** How it failed, for the report: the status, or the error. */
        String failure() {
            return status > 0 ? String.valueOf(status) : error;
        }
    }

    /** The first readiness body with the library's check DOWN: for failure messages. */
    static volatile String firstDownBody;
    private final List<Sample> samples = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;
    private volatile long sigtermAt = Long.MAX_VALUE;

    private LoadRun() {
    }

    /**
     * Starts the clients and the readiness poller.
     *
     * @param path        the cheap endpoint, on {@code port}
     * @param healthPort  where {@code /health/ready} is served
     */
    static LoadRun start(int port, String path, int healthPort, int clients, long periodMillis) {
        LoadRun run = new LoadRun();
        for (int c = 0; c < clients; c++) {
            long offset = periodMillis * c / clients;
            run.spawn("load-client-" + c, () -> run.loop(offset, periodMillis, () -> request(port, path, false)));
        }
        run.spawn("load-readiness", () -> run.loop(0, 50, () -> request(healthPort, "/health/ready", true)));
        return run;
    }

    private void spawn(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    /** Sends at a steady rate: each request starts {@code period} after the previous one started (or at once, if late). */
    private void loop(long offsetMillis, long periodMillis, java.util.function.Supplier<Sample> send) {
        long next = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(offsetMillis);
        while (running) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait); // a pacing clock, not a synchronisation
                } catch (InterruptedException e) {
                    return;
                }
            }
            next = Math.max(next + TimeUnit.MILLISECONDS.toNanos(periodMillis), System.nanoTime());
            Sample s = send.get();
            synchronized (samples) {
                samples.add(s);
            }
        }
    }

    /** Marks the moment the SIGTERM is sent ({@link System#nanoTime()}). */
    void sigtermAt(long nanos) {
        sigtermAt = nanos;
    }

    long sigtermAt() {
        return sigtermAt;
    }

    List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /** Whether, before the SIGTERM, at least {@code n} requests were answered and readiness said UP. */
    boolean warmedUp(int n) {
        List<Sample> all = samples();
        return all.stream().filter(s -> !s.readiness() && "answered".equals(s.outcome())).count() >= n
                && all.stream().anyMatch(s -> s.readiness() && "UP".equals(s.workers()));
    }

    /** The readiness samples so far, counted by what they said: for failure messages. */
    String readinessSummary() {
        Map<String, Integer> seen = new TreeMap<>();
        for (Sample s : samples()) {
            if (s.readiness()) {
                seen.merge(s.status() + "/" + s.error() + "/" + s.workers(), 1, Integer::sum);
            }
        }
        return "readiness samples (status/error/breaker-workers): " + seen + "; first DOWN: " + firstDownBody;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(TIMEOUT_MILLIS * 2L);
        }
    }

    /** One GET on a new connection to the loopback address, read to its end. */
    static Sample request(int port, String path, boolean readiness) {
        long sent = System.nanoTime();
        try (Socket socket = new Socket()) {
            try {
                socket.connect(new InetSocketAddress(ServerProcess.LOOPBACK, port), TIMEOUT_MILLIS);
            } catch (ConnectException e) {
                return new Sample(sent, readiness, -1, "refused", null, null);
            }
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + ServerProcess.LOOPBACK + ":" + port
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = readAll(socket.getInputStream());
            if (!response.startsWith("HTTP/1.") || response.indexOf("\r\n\r\n") < 0) {
                return new Sample(sent, readiness, -1, response.isEmpty() ? "closed-without-answer" : "incomplete", null,
                        null);
            }
            int status = Integer.parseInt(response.substring(9, 12));
            String workers = null;
            if (readiness) {
                Matcher m = WORKERS_CHECK.matcher(response);
                workers = m.find() ? m.group(1) : null;
                if ("DOWN".equals(workers) && firstDownBody == null) {
                    firstDownBody = response.substring(response.indexOf("\r\n\r\n") + 4);
                }
            }
            String body = readiness ? null : response.substring(response.indexOf("\r\n\r\n") + 4);
            return new Sample(sent, readiness, status, null, workers, body);
        } catch (SocketTimeoutException e) {
            return new Sample(sent, readiness, -1, "timeout", null, null);
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage()).toLowerCase();
            return new Sample(sent, readiness, -1, m.contains("reset") ? "reset" : "io:" + e.getClass().getSimpleName(),
                    null, null);
        }
    }

    /**
     * Reads one response: the head, then the body by its {@code Content-Length} or its chunks, or to
     * the end of the stream without either. Not to the end of the stream in every case: Helidon
     * keeps the connection open after answering a {@code Connection: close} request. Returns what
     * came (an incomplete response as far as it got).
     */
    private static String readAll(InputStream raw) throws IOException {
        InputStream in = new java.io.BufferedInputStream(raw);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int matched = 0; // of "\r\n\r\n"
        for (int b; matched < 4 && (b = in.read()) >= 0; ) {
            bytes.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        if (matched < 4) {
            return bytes.toString(StandardCharsets.ISO_8859_1);
        }
        String head = bytes.toString(StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
        Matcher length = Pattern.compile("\r\ncontent-length:\\s*(\\d+)").matcher(head);
        if (length.find()) {
            int n = Integer.parseInt(length.group(1));
            byte[] body = in.readNBytes(n);
            if (body.length < n) {
                throw new java.io.EOFException("body cut short");
            }
            bytes.write(body);
        } else if (head.contains("\r\ntransfer-encoding: chunked")) {
            for (int size; (size = chunkSize(in)) > 0; ) {
                bytes.write(in.readNBytes(size + 2)); // the chunk and its CRLF
            }
        } else {
            bytes.write(in.readAllBytes());
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }

    /** Reads a chunk-size line (kept out of the body); 0 at the last chunk or the end of the stream. */
    private static int chunkSize(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        String hex = line.toString().split(";", 2)[0].trim();
        return hex.isEmpty() ? 0 : Integer.parseInt(hex, 16);
    }

    /**
     * What one SIGTERM under load gave, in milliseconds after the SIGTERM; -1 where it did not
     * happen. {@code during} and {@code after}: answered, refused and failed requests sent during
     * the readiness delay and from its end to the exit.
     */
    record Result(long delayMs, int[] before, int[] during, int[] after, Map<String, Integer> failures,
                  long readinessDownMs, long readinessGoneMs, long readinessLastUpMs, long lastAnsweredMs, long firstRefusedMs,
                  long portClosedMs, long firstFailedMs, long lastFailedMs, long workersStopMs, long exitMs,
                  int exitStatus) {

        /**
         * Whether the readiness delay was served: the workers stopped after it and the application
         * answered until its end (a request sent within 50 ms of it, about seven request intervals).
         */
        boolean delayServed() {
            return workersStopMs >= delayMs && lastAnsweredMs >= delayMs - 50;
        }

        /** One line, {@code key=value} pairs, for {@code target/server-load/} and the compatibility table. */
        String line(String server) {
            return "server=" + server + " delayMs=" + delayMs
                    + " during=" + counts(during) + " after=" + counts(after) + " before=" + counts(before)
                    + " readinessDownMs=" + readinessDownMs + " readinessNotUpMs=" + readinessGoneMs
                    + " readinessLastUpMs=" + readinessLastUpMs
                    + " lastAnsweredMs=" + lastAnsweredMs + " firstRefusedMs=" + firstRefusedMs
                    + " portClosedMs=" + portClosedMs + " firstFailedMs=" + firstFailedMs + " lastFailedMs=" + lastFailedMs
                    + " workersStopMs=" + workersStopMs + " delayServed=" + delayServed()
                    + " exitMs=" + exitMs + " exit=" + exitStatus
                    + " failures=" + (failures.isEmpty() ? "-" : failures.toString().replace(" ", ""));
        }

        private static String counts(int[] c) {
            return c[0] + "/" + c[1] + "/" + c[2];
        }
    }

    /** Classifies the samples against the SIGTERM, the readiness delay and the exit. */
    Result result(long delayMs, long workersStopNanos, long exitNanos, int exitStatus) {
        long t0 = sigtermAt;
        long exitMs = ms(exitNanos, t0);
        int[] before = new int[3];
        int[] during = new int[3];
        int[] after = new int[3];
        Map<String, Integer> failures = new TreeMap<>();
        long readinessDown = -1, readinessGone = -1, readinessLastUp = -1, lastAnswered = -1, firstRefused = -1, portClosed = -1,
                firstFailed = -1, lastFailed = -1;
        for (Sample s : samples()) {
            long at = ms(s.sentNanos(), t0);
            if (s.readiness()) {
                if (at >= 0 && "DOWN".equals(s.workers())) {
                    readinessDown = first(readinessDown, at);
                }
                if (at >= 0 && "UP".equals(s.workers())) {
                    readinessLastUp = Math.max(readinessLastUp, at);
                } else if (at >= 0) {
                    readinessGone = first(readinessGone, at);
                }
                continue;
            }
            String outcome = s.outcome();
            int k = outcome.equals("answered") ? 0 : outcome.equals("refused") ? 1 : 2;
            if (at < 0) {
                before[k]++;
            } else if (at < delayMs) {
                during[k]++;
            } else if (at <= exitMs) {
                after[k]++;
            }
            if (at < 0 || at > exitMs) {
                if (k == 2 && at < 0) {
                    failures.merge("before:" + s.failure(), 1, Integer::sum);
                }
                continue;
            }
            switch (k) {
                case 0 -> lastAnswered = Math.max(lastAnswered, at);
                case 1 -> {
                    firstRefused = first(firstRefused, at);
                    if ("refused".equals(s.error())) {
                        portClosed = first(portClosed, at);
                    }
                }
                default -> {
                    firstFailed = first(firstFailed, at);
                    lastFailed = Math.max(lastFailed, at);
                    failures.merge((at < delayMs ? "during:" : "after:") + s.failure(), 1, Integer::sum);
                }
            }
        }
        return new Result(delayMs, before, during, after, failures, readinessDown, readinessGone, readinessLastUp, lastAnswered,
                firstRefused, portClosed, firstFailed, lastFailed, workersStopNanos < 0 ? -1 : ms(workersStopNanos, t0), exitMs,
                exitStatus);
    }

    /** The earlier of {@code current} (-1: none yet) and {@code at}. */
    private static long first(long current, long at) {
        return current < 0 ? at : Math.min(current, at);
    }

    private static long ms(long nanos, long t0) {
        return Math.floorDiv(nanos - t0, 1_000_000L);
    }
}
