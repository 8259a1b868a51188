package dev.breaker.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 */
final class Clients implements AutoCloseable {
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Duration PAUSE_AFTER_REFUSAL = Duration.ofMillis(20); // client pacing, not synchronisation

    final Set<String> accepted = ConcurrentHashMap.newKeySet();
    final AtomicInteger refused = new AtomicInteger();
    final AtomicInteger unanswered = new AtomicInteger();
    final List<String> unexpected = new CopyOnWriteArrayList<>();
    final AtomicReference<String> poisonId = new AtomicReference<>();
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

    /** {@code clients} threads posting to {@code target}; post number {@code poisonAt} (if >= 0) carries the marker. */
    Clients(URI target, int clients, int poisonAt, String poisonMarker) {
        this.target = target;
        this.poisonAt = poisonAt;
        this.poisonMarker = poisonMarker;
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(this::loop, "client-" + c);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
    }

    Clients(URI target, int clients) {
        this(target, clients, -1, null);
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
            HttpRequest post = HttpRequest.newBuilder(target)
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"payload\": \"" + payload + "\"}"))
                    .build();
            HttpResponse<String> r;
            try {
                r = http.send(post, HttpResponse.BodyHandlers.ofString());
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

    @Override
    public String toString() {
        return "accepted " + accepted.size() + ", refused (503) " + refused.get() + ", unanswered " + unanswered.get()
                + (unexpected.isEmpty() ? "" : ", unexpected " + unexpected.size() + " e.g. " + unexpected.get(0));
    }
}
