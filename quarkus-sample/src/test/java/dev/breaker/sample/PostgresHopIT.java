package dev.breaker.sample;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What a real handler does under its request breaker, across two real services and a real
 * PostgreSQL: B calls C ({@code GET /hop}), and C runs {@code SELECT pg_sleep(30)} through
 * {@code Jdbc.execute}. A client gives B a 1 s budget: B answers within it, C's query is
 * cancelled on the server (its backend is no longer active in {@code pg_stat_activity}). That the
 * same connection then runs its next statement fine is core's {@code JdbcCancelTest}.
 */
class PostgresHopIT {
    private static final Pattern QUERY_STOPPED =
            Pattern.compile("HOP query stopped after (\\d+) ms \\(time at start: (\\d+) ms\\): (.*)$");
    private SampleProcess b;
    private SampleProcess c;

    @AfterEach
    void stop() {
        if (b != null) {
            b.close();
        }
        if (c != null) {
            c.close();
        }
    }

    @Test
    void aOneSecondBudgetCancelsTheDownstreamQueryOnTheServer() throws Exception {
        EmbeddedPostgresServer.Database db = EmbeddedPostgresServer.get().newDatabase();
        Path dir = Files.createTempDirectory(Files.createDirectories(
                Path.of(System.getProperty("sample.work.dir", "target/it"))), "PostgresHopIT-");
        Map<String, String> cConfig = new HashMap<>(db.settings("hop-c"));
        cConfig.put("breaker.hop.timeout", "10s");
        cConfig.put("sample.hop.query", "SELECT pg_sleep(30)");
        c = SampleProcess.start(dir.resolve("c"), "c", cConfig);
        b = SampleProcess.start(dir.resolve("b"), "b", Map.of("breaker.hop.timeout", "10s",
                "sample.hop.next", c.uri("/hop").toString()));

        HttpClient client = HttpClient.newHttpClient();
        long t0 = System.nanoTime();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(b.uri("/hop")).header("Breaker-Budget", "1000")
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(504, r.statusCode(), r.body());
        assertTrue(ms < 2_500, "B answered after " + ms + " ms for a 1,000 ms budget (its own limit: 10 s)");

        Matcher m = awaitLine(c, QUERY_STOPPED);
        assertTrue(m.group(3).startsWith("budget "), "C's query stopped by the propagated budget: " + m.group());
        assertTrue(Long.parseLong(m.group(1)) < 2_000, m.group());

        // the query is gone from the server, not only abandoned by the client
        try (Connection admin = db.connect(); Statement st = admin.createStatement()) {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (true) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'hop-c'"
                        + " AND state = 'active' AND query LIKE '%pg_sleep%'")) {
                    rs.next();
                    if (rs.getInt(1) == 0) {
                        break;
                    }
                }
                if (System.nanoTime() > end) {
                    fail("C's pg_sleep is still active on the server 2 s after the trip");
                }
                Thread.sleep(20);
            }
        }
    }

    private static Matcher awaitLine(SampleProcess app, Pattern p) throws InterruptedException {
        return app.awaitMatch(p, 1, Duration.ofSeconds(30));
    }
}
