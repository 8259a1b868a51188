package dev.breaker.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Concurrent clients that post events until stopped and record what each answer promised: every
 * id that got a 202 ({@link #accepted}), the 503s ({@link #refused}, not acknowledged, though such
 * an event may have been stored) and the requests without an answer ({@link #unanswered}: stored
 * or not, nobody knows). Anything else, or a failure before {@link #faultComing()}, is
 * {@link #unexpected}.
 *
 * <p>{@link #keyed(URI, int, String) Keyed} clients send every post with an {@code Idempotency-Key} of its own and
 * remember it: {@link #acceptedKeys} (key to the id of its 202) and {@link #unsettledKeys} (no
 * 202: no answer or a 503), each key with its payload in {@link #payloads}, so that a test can
 * retry exactly what a real client would ({@link #post}).
 */
final class Clients implements AutoCloseable {
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Duration PAUSE_AFTER_REFUSAL = Duration.ofMillis(20); // client pacing, not synchronisation

    final Set<String> accepted = ConcurrentHashMap.newKeySet();
    final AtomicInteger refused = new AtomicInteger();
    final AtomicInteger unanswered = new AtomicInteger();
    final List<String> unexpected = new CopyOnWriteArrayList<>();
    final AtomicReference<String> poisonId = new AtomicReference<>();
    /** Keyed clients only: key -> id of its 202; the keys that got none; every key's payload. */
    final Map<String, String> acceptedKeys = new ConcurrentHashMap<>();
    final Set<String> unsettledKeys = ConcurrentHashMap.newKeySet();
    final Map<String, String> payloads = new ConcurrentHashMap<>();
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicBoolean faultComing = new AtomicBoolean();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Object progress = new Object();
    private final List<Thread> threads = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI target;
    private final int poisonAt;
    private final String poisonMarker;
    private final String name;
    private final boolean keyed;

    /**
     * {@code clients} threads posting to {@code target}; post number {@code poisonAt} (if >= 0)
     * carries the marker. {@code name} makes payloads (and keys) unique among several Clients.
     */
    Clients(URI target, int clients, int poisonAt, String poisonMarker, String name, boolean keyed) {
        this.target = target;
        this.poisonAt = poisonAt;
        this.poisonMarker = poisonMarker;
        this.name = name;
        this.keyed = keyed;
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(this::loop, name + "-" + c);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
    }

    Clients(URI target, int clients, int poisonAt, String poisonMarker) {
        this(target, clients, poisonAt, poisonMarker, "client", false);
    }

    Clients(URI target, int clients) {
        this(target, clients, -1, null);
    }

    /** {@code clients} threads posting to {@code target}, each post with an Idempotency-Key of its own. */
    static Clients keyed(URI target, int clients, String name) {
        return new Clients(target, clients, -1, null, name, true);
    }

    /** One POST of {@code payload}, with {@code Idempotency-Key: key} unless the key is null. */
    static HttpRequest post(URI target, String payload, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(target)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"payload\": \"" + payload + "\"}"));
        if (key != null) {
            b.header("Idempotency-Key", key);
        }
        return b.build();
    }

    /** The id in a 202's body, or null. */
    static String idOf(String body) {
        Matcher m = ID.matcher(body);
        return m.find() ? m.group(1) : null;
    }

    /** From now on, failed connections are what the test is doing to the service. */
    void faultComing() {
        faultComing.set(true);
    }

    private void loop() {
        while (!stop.get()) {
            int n = sent.getAndIncrement();
            boolean poison = n == poisonAt;
            String payload = poison ? "event " + n + " " + poisonMarker : "event " + n + " from " + Thread.currentThread().getName();
            String key = keyed ? name + "-" + n : null;
            if (keyed) {
                payloads.put(key, payload);
                unsettledKeys.add(key); // until its 202
            }
            HttpResponse<String> r;
            try {
                r = http.send(post(target, payload, key), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                unanswered.incrementAndGet();
                if (!faultComing.get()) {
                    unexpected.add("I/O error before any fault: " + e);
                }
                pause();
                continue;
            } catch (InterruptedException e) {
                return;
            }
            if (r.statusCode() == 202) {
                Matcher m = ID.matcher(r.body());
                if (!m.find()) {
                    unexpected.add("202 without id: " + r.body());
                    continue;
                }
                accepted.add(m.group(1));
                if (keyed) {
                    acceptedKeys.put(key, m.group(1));
                    unsettledKeys.remove(key);
                }
                if (poison) {
                    poisonId.set(m.group(1));
                }
                synchronized (progress) {
                    progress.notifyAll();
                }
            } else if (r.statusCode() == 503 && (r.headers().firstValue("Retry-After").isPresent() || faultComing.get())) {
                // the service's own 503s carry Retry-After; once shutdown begins Quarkus may answer
                // 503 before the request reaches it
                refused.incrementAndGet();
                pause();
            } else {
                unexpected.add(r.statusCode() + " " + r.body());
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(PAUSE_AFTER_REFUSAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop.set(true);
        }
    }

    /** Waits until at least {@code n} events have been acknowledged; false if {@code within} passed first. */
    boolean awaitAccepted(int n, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        synchronized (progress) {
            while (accepted.size() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(progress, left);
            }
        }
        return true;
    }

    /** Stops posting; returns once every client has had its last answer (bounded). */
    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.join(Duration.ofSeconds(60).toMillis());
            if (t.isAlive()) {
                unexpected.add(t.getName() + " did not finish within 60 s");
            }
        }
    }

    /** What {@link #resendAll} found: key -> id of its 202, the keys answered as replays, and every other answer. */
    record Resent(Map<String, String> ids, Set<String> replayed, List<String> problems) {
    }

    /**
     * A keyed client's retry, after {@link #close()}: sends every key again with its payload
     * (round robin over {@code targets}, {@code threads} at a time), what a client that lost
     * answers does. Each must be answered 202; a key that had its 202 must get the same id again.
     */
    Resent resendAll(List<URI> targets, int threads) throws InterruptedException {
        Map<String, String> ids = new ConcurrentHashMap<>();
        Set<String> replayed = ConcurrentHashMap.newKeySet();
        List<String> problems = new CopyOnWriteArrayList<>();
        List<String> keys = new ArrayList<>(payloads.keySet());
        AtomicInteger next = new AtomicInteger();
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread sender = new Thread(() -> {
                for (int i; (i = next.getAndIncrement()) < keys.size(); ) {
                    String key = keys.get(i);
                    try {
                        HttpResponse<String> r = http.send(post(targets.get(i % targets.size()), payloads.get(key), key),
                                HttpResponse.BodyHandlers.ofString());
                        String id = idOf(r.body());
                        String first = acceptedKeys.get(key);
                        if (r.statusCode() != 202 || id == null) {
                            problems.add(key + ": " + r.statusCode() + " " + r.body());
                        } else if (first != null && !first.equals(id)) {
                            problems.add(key + ": acknowledged as " + first + " before, now " + id);
                        } else {
                            ids.put(key, id);
                            if (r.headers().firstValue("Idempotent-Replayed").filter("true"::equals).isPresent()) {
                                replayed.add(key);
                            }
                        }
                    } catch (IOException | InterruptedException e) {
                        problems.add(key + ": " + e);
                    }
                }
            }, "resend-" + t);
            sender.setDaemon(true);
            sender.start();
            senders.add(sender);
        }
        for (Thread t : senders) {
            t.join(Duration.ofSeconds(120).toMillis());
        }
        return new Resent(ids, replayed, problems);
    }

    @Override
    public String toString() {
        return "accepted " + accepted.size() + ", refused (503) " + refused.get() + ", unanswered " + unanswered.get()
                + (unexpected.isEmpty() ? "" : ", unexpected " + unexpected.size() + " e.g. " + unexpected.get(0));
    }
}
