package dev.breaker.sample;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Clients that post events continuously, each over one HTTP/1.1 keep-alive connection of its own
 * on a plain socket, and record every request's fate exactly as it appeared on the wire
 * ({@link Exchange}): a complete response (with its {@code Connection} and {@code Retry-After}
 * headers, and whether the server then closed the connection cleanly), a refused connection, a
 * connection closed or reset before the response, a response cut off, a timeout. Nothing is
 * retried behind the test's back (a JDK or library client may retry or hide a reset).
 *
 * <p>A client keeps its connection until the server says {@code Connection: close} or the
 * connection fails; then it opens a new one for its next request. Optionally it paces itself
 * ({@code interval} between request starts) and honours {@code Retry-After} on a 503 (as a
 * polite client does), and sends an {@code Idempotency-Key} header with each new event.
 *
 * <p>Thread-safe: each client thread owns its socket; exchanges go to a concurrent queue.
 */
final class KeepAliveClient implements AutoCloseable {
    static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** How long the server may take to close a connection after a {@code Connection: close} response. */
    private static final Duration CLOSE_WITHIN = Duration.ofSeconds(5);
    private static final Duration PAUSE_AFTER_FAILURE = Duration.ofMillis(20); // pacing, not synchronisation
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

    private final String name;
    private final InetSocketAddress target;
    private final Duration interval;
    private final boolean honourRetryAfter;
    private final boolean idempotencyKeys;
    private final Queue<Exchange> exchanges = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    /**
     * Starts {@code clients} threads posting to {@code target}; {@code interval} is the time between
     * the starts of one client's requests ({@code Duration.ZERO}: back to back).
     */
    KeepAliveClient(String name, InetSocketAddress target, int clients, Duration interval, boolean honourRetryAfter,
                    boolean idempotencyKeys) {
        this.name = name;
        this.target = target;
        this.interval = interval;
        this.honourRetryAfter = honourRetryAfter;
        this.idempotencyKeys = idempotencyKeys;
        for (int c = 0; c < clients; c++) {
            int n = c;
            Thread t = new Thread(() -> loop(n), name + "-client-" + c);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
    }

    /** Every exchange so far (a copy). */
    List<Exchange> exchanges() {
        return new ArrayList<>(exchanges);
    }

    int acceptedCount() {
        return (int) exchanges.stream().filter(Exchange::accepted).count();
    }

    /** Stops posting; returns once every client has had its last answer (bounded by the read timeout). */
    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        threads.forEach(Thread::interrupt); // only a Retry-After or pacing sleep is interruptible
        for (Thread t : threads) {
            t.join(READ_TIMEOUT.plusSeconds(10).toMillis());
        }
    }

    private void loop(int client) {
        Socket socket = null;
        boolean reused = false;
        long next = System.nanoTime();
        int n = 0;
        while (!stop.get()) {
            if (!interval.isZero()) {
                long wait = next - System.nanoTime();
                if (wait > 0 && !sleep(wait)) {
                    break;
                }
                next = Math.max(next + interval.toNanos(), System.nanoTime()); // no burst after a stall
            }
            String payload = name + " event " + client + "-" + (n++);
            String key = idempotencyKeys ? UUID.randomUUID().toString() : null;
            long sent = System.nanoTime();
            if (socket == null) {
                try {
                    socket = connect(target);
                    reused = false;
                } catch (IOException e) {
                    exchanges.add(new Exchange(client, sent, System.nanoTime(), Exchange.Outcome.REFUSED, 0, false, false,
                            null, null, payload, key, false, false, e.toString()));
                    if (!sleep(PAUSE_AFTER_FAILURE.toNanos())) {
                        break;
                    }
                    continue;
                }
            }
            Exchange ex = post(socket, client, sent, payload, key, reused);
            exchanges.add(ex);
            if (ex.outcome() != Exchange.Outcome.RESPONSE || ex.connectionClose()) {
                closeQuietly(socket);
                socket = null;
            } else {
                reused = true;
            }
            if (ex.outcome() != Exchange.Outcome.RESPONSE) {
                if (!sleep(PAUSE_AFTER_FAILURE.toNanos())) {
                    break;
                }
            } else if (honourRetryAfter && ex.status() == 503 && ex.retryAfter() != null) {
                long seconds = parseSeconds(ex.retryAfter());
                if (seconds > 0 && !sleep(Duration.ofSeconds(seconds).toNanos())) {
                    break;
                }
            }
        }
        closeQuietly(socket);
    }

    /**
     * One POST of {@code payload} (with {@code Idempotency-Key: key} unless null) on a new
     * connection, closed afterwards: a client's retry of a request that got no answer.
     */
    static Exchange postOnce(InetSocketAddress target, int client, String payload, String key) {
        long sent = System.nanoTime();
        Socket s;
        try {
            s = connect(target);
        } catch (IOException e) {
            return new Exchange(client, sent, System.nanoTime(), Exchange.Outcome.REFUSED, 0, false, false, null, null,
                    payload, key, false, false, e.toString());
        }
        try {
            return post(s, client, sent, payload, key, false);
        } finally {
            closeQuietly(s);
        }
    }

    private static Exchange post(Socket socket, int client, long sent, String payload, String key, boolean reused) {
        String body = "{\"payload\": \"" + payload + "\"}";
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        if (key != null) {
            headers.put("Idempotency-Key", key);
        }
        Response r;
        try {
            r = exchange(socket, "POST", "/events", headers, body);
        } catch (Failure f) {
            return new Exchange(client, sent, System.nanoTime(), f.outcome, 0, false, false, null, null, payload, key,
                    reused, false, f.getMessage());
        }
        Matcher m = ID.matcher(r.body);
        return new Exchange(client, sent, r.doneNanos, Exchange.Outcome.RESPONSE, r.status, r.connectionClose(),
                r.closedCleanly, r.headers.get("retry-after"), r.status == 202 && m.find() ? m.group(1) : null, payload, key,
                reused, "true".equalsIgnoreCase(r.headers.get("idempotent-replayed")), null);
    }

    // ---- a minimal HTTP/1.1 exchange on a socket --------------------------------------------

    /** A complete response. {@code headers} keys are lower case. */
    record Response(int status, Map<String, String> headers, String body, long doneNanos, boolean closedCleanly) {
        boolean connectionClose() {
            return "close".equalsIgnoreCase(headers.getOrDefault("connection", "").trim());
        }
    }

    /** A request that got no complete response. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        final transient Exchange.Outcome outcome;

        Failure(Exchange.Outcome outcome, String message) {
            super(message, null, false, false);
            this.outcome = outcome;
        }
    }

    static Socket connect(InetSocketAddress target) throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.setSoTimeout((int) READ_TIMEOUT.toMillis());
            s.connect(target, (int) CONNECT_TIMEOUT.toMillis());
            return s;
        } catch (IOException e) {
            closeQuietly(s);
            throw e;
        }
    }

    /** One request on a new connection, closed afterwards; a refused connection is a {@link Failure} too. */
    static Response once(InetSocketAddress target, String method, String path) throws Failure {
        Socket s;
        try {
            s = connect(target);
        } catch (ConnectException e) {
            throw new Failure(Exchange.Outcome.REFUSED, e.toString());
        } catch (IOException e) {
            throw new Failure(Exchange.Outcome.REFUSED, e.toString());
        }
        try {
            return exchange(s, method, path, Map.of("Connection", "close"), null);
        } finally {
            closeQuietly(s);
        }
    }

    /**
     * Writes one request and reads its response. After a {@code Connection: close} response it
     * also waits (bounded) for the server to close the connection, and records whether it did
     * so cleanly.
     */
    static Response exchange(Socket socket, String method, String path, Map<String, String> headers, String body)
            throws Failure {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(socket.getInetAddress().getHostAddress()).append(':').append(socket.getPort())
                .append("\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        if (body != null) {
            head.append("Content-Length: ").append(content.length).append("\r\n");
        }
        head.append("\r\n");
        InputStream in;
        try {
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
            in = new BufferedInputStream(socket.getInputStream());
        } catch (IOException e) {
            throw new Failure(Exchange.Outcome.NO_RESPONSE, "writing the request: " + e);
        }
        int[] read = {0};
        try {
            String statusLine = line(in, read);
            if (statusLine == null) {
                throw new Failure(Exchange.Outcome.NO_RESPONSE, "the server closed the connection without a response");
            }
            String[] parts = statusLine.split(" ", 3);
            int status = Integer.parseInt(parts[1]);
            Map<String, String> h = new LinkedHashMap<>();
            for (String l; (l = line(in, read)) != null && !l.isEmpty(); ) {
                int colon = l.indexOf(':');
                h.merge(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim(),
                        (a, b) -> a + ", " + b);
            }
            byte[] payload = readBody(in, h, method, status, read);
            long done = System.nanoTime();
            boolean clean = false;
            if ("close".equalsIgnoreCase(h.getOrDefault("connection", "").trim())) {
                clean = awaitEndOfStream(socket, in);
            }
            return new Response(status, h, new String(payload, StandardCharsets.UTF_8), done, clean);
        } catch (SocketTimeoutException e) {
            throw new Failure(Exchange.Outcome.TIMEOUT, "no complete response within " + READ_TIMEOUT);
        } catch (IOException | RuntimeException e) {
            throw new Failure(read[0] == 0 ? Exchange.Outcome.NO_RESPONSE : Exchange.Outcome.RESET,
                    (read[0] == 0 ? "before the response: " : "after " + read[0] + " bytes of the response: ") + e);
        }
    }

    private static byte[] readBody(InputStream in, Map<String, String> h, String method, int status, int[] read)
            throws IOException {
        if (method.equals("HEAD") || status == 204 || status == 304) {
            return new byte[0];
        }
        String length = h.get("content-length");
        if (length != null) {
            return exactly(in, Integer.parseInt(length.trim()), read);
        }
        if ("chunked".equalsIgnoreCase(h.getOrDefault("transfer-encoding", "").trim())) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            while (true) {
                String size = line(in, read);
                if (size == null) {
                    throw new EOFException("end of stream inside a chunked body");
                }
                int n = Integer.parseInt(size.split(";", 2)[0].trim(), 16);
                if (n == 0) {
                    while (true) { // trailers
                        String t = line(in, read);
                        if (t == null || t.isEmpty()) {
                            break;
                        }
                    }
                    return all.toByteArray();
                }
                all.write(exactly(in, n, read));
                line(in, read);
            }
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream(); // until the server closes
        for (int b; (b = in.read()) != -1; ) {
            read[0]++;
            all.write(b);
        }
        return all.toByteArray();
    }

    private static byte[] exactly(InputStream in, int n, int[] read) throws IOException {
        byte[] b = in.readNBytes(n);
        read[0] += b.length;
        if (b.length < n) {
            throw new EOFException("end of stream after " + b.length + " of " + n + " body bytes");
        }
        return b;
    }

    /** A CRLF-terminated line, or null at the end of the stream before any byte of it. */
    private static String line(InputStream in, int[] read) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != -1; ) {
            read[0]++;
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        if (line.size() == 0) {
            return null;
        }
        throw new EOFException("end of stream inside a line");
    }

    /** True if the server ends the stream (FIN) within a few seconds without sending more; false on a reset. */
    private static boolean awaitEndOfStream(Socket socket, InputStream in) {
        try {
            socket.setSoTimeout((int) CLOSE_WITHIN.toMillis());
            return in.read() == -1;
        } catch (IOException e) {
            return false;
        }
    }

    private static long parseSeconds(String retryAfter) {
        try {
            return Long.parseLong(retryAfter.trim());
        } catch (NumberFormatException e) {
            return 1; // an HTTP date: not sent by the sample; wait a little anyway
        }
    }

    private boolean sleep(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
            return true;
        } catch (InterruptedException e) {
            return !stop.get();
        }
    }

    static void closeQuietly(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }
}
