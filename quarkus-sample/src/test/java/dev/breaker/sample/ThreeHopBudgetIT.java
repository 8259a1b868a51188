package dev.breaker.sample;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A deadline that travels across real hops: three sample processes A -> B -> C ({@code GET /hop},
 * each with {@code breaker.hop.timeout=3s}); C works until its request breaker trips. A client
 * gives A a 1 s budget ({@code Breaker-Budget: 1000}): A answers within its budget and every hop
 * stops then, B and C with the propagated budget as the reason, not their own 3 s. Without the
 * header, A keeps its configured 3 s, and B and C stop with A.
 */
class ThreeHopBudgetIT {
    private static final Pattern WORK_STOPPED =
            Pattern.compile("HOP work stopped after (\\d+) ms \\(time at start: (\\d+) ms\\): (.*)$");
    private static final Pattern CALL_ENDED =
            Pattern.compile("HOP call (?:answered \\d+|abandoned) after (\\d+) ms \\(time at start: (\\d+) ms\\)");
    private static SampleProcess a;
    private static SampleProcess b;
    private static SampleProcess c;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void startTheChain() throws Exception {
        Path work = Files.createDirectories(Path.of(System.getProperty("sample.work.dir", "target/it")));
        Path dir = Files.createTempDirectory(work, "ThreeHopBudgetIT-");
        c = SampleProcess.start(dir.resolve("c"), "c", Map.of("breaker.hop.timeout", "3s"));
        b = SampleProcess.start(dir.resolve("b"), "b", Map.of("breaker.hop.timeout", "3s",
                "sample.hop.next", c.uri("/hop").toString()));
        a = SampleProcess.start(dir.resolve("a"), "a", Map.of("breaker.hop.timeout", "3s",
                "sample.hop.next", b.uri("/hop").toString()));
    }

    @AfterAll
    static void stopTheChain() {
        for (SampleProcess p : new SampleProcess[]{a, b, c}) {
            if (p != null) {
                p.close();
            }
        }
    }

    /** The {@code n}-th (from 1) line of {@code app} matching {@code p}, waited for (bounded). */
    private static Matcher await(SampleProcess app, Pattern p, int n) throws InterruptedException {
        return app.awaitMatch(p, n, Duration.ofSeconds(30));
    }

    private HttpResponse<String> callA(String budget) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(a.uri("/hop")).timeout(Duration.ofSeconds(30));
        if (budget != null) {
            r.header("Breaker-Budget", budget);
        }
        return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aOneSecondBudgetStopsEveryHopWithinIt() throws Exception {
        int before = count(c, WORK_STOPPED);
        int bBefore = count(b, CALL_ENDED);
        long t0 = System.nanoTime();
        HttpResponse<String> response = callA("1000");
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(504, response.statusCode(), response.body());
        assertTrue(ms < 2_500, "A answered after " + ms + " ms, for a 1,000 ms budget (its own limit: 3 s)");

        Matcher atC = await(c, WORK_STOPPED, before + 1);
        long cStart = Long.parseLong(atC.group(2));
        assertTrue(cStart < 1_000, "C started with the budget left, not its 3 s: " + atC.group());
        assertTrue(Long.parseLong(atC.group(1)) < 1_500, "C's work stopped with the budget: " + atC.group());
        assertTrue(atC.group(3).matches("budget \\d+ ms from header Breaker-Budget less a margin of 10 ms"),
                "C's reason is the propagated budget: " + atC.group(3));
        Matcher atB = await(b, CALL_ENDED, bBefore + 1);
        assertTrue(Long.parseLong(atB.group(2)) < 1_000, "B started with the budget left: " + atB.group());
        assertTrue(Long.parseLong(atB.group(2)) > cStart, "each hop has less than the one before it");
    }

    @Test
    void withoutTheHeaderAKeepsItsOwnLimitAndTheOthersStopWithIt() throws Exception {
        int before = count(c, WORK_STOPPED);
        long t0 = System.nanoTime();
        HttpResponse<String> response = callA(null);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(504, response.statusCode(), response.body());
        assertTrue(ms >= 2_500 && ms < 6_000, "A answered after " + ms + " ms, for its own 3 s");
        Matcher atC = await(c, WORK_STOPPED, before + 1);
        long cStart = Long.parseLong(atC.group(2));
        assertTrue(cStart > 1_500 && cStart < 3_000, "C started with what A had left of its 3 s: " + atC.group());
        assertTrue(atC.group(3).startsWith("budget "), "the budget A sent, not C's own timeout: " + atC.group(3));
    }

    private HttpResponse<String> get(SampleProcess app, String path, String... budgets) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(app.uri(path)).timeout(Duration.ofSeconds(30));
        for (String v : budgets) {
            r.header("Breaker-Budget", v);
        }
        return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Hostile header values through the real filter: never an error, never more time than configured. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', nullValues = "NULL", value = {
            // header values (';' separates repeated headers) | the request's time left: "budget" ~ that many ms, "own" = its 3 s
            "1500              | 1490",
            "-1                | own",
            "abc               | own",
            "1e3               | own",
            "100000000         | own",
            "99999999          | own",
            "' 800 '           | 790",
            "'900, 600, x'     | 590",
            "700;400           | 390",
            "x;2000            | 1990",
            "''                | own",
    })
    void hostileBudgetHeadersNeverFailAndNeverLengthen(String values, String expected) throws Exception {
        HttpResponse<String> r = get(c, "/hop/left", values.split(";", -1));
        assertEquals(200, r.statusCode(), r.body());
        long left = Long.parseLong(r.body().trim());
        assertTrue(left <= 3_000, "never more than configured: " + left);
        if (expected.equals("own")) {
            assertTrue(left > 2_000, "the header was ignored: " + left);
        } else {
            long budget = Long.parseLong(expected);
            assertTrue(left <= budget && left > budget - 500, "about " + budget + " ms left: " + left);
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"0", "5", "10"})
    void aBudgetSpentOnArrivalIsAnswered504WithoutRunningTheHandler(String value) throws Exception {
        HttpResponse<String> r = get(c, "/hop/left", value);
        assertEquals(504, r.statusCode(), r.body());
        assertTrue(r.body().startsWith("BRKR021: the caller's budget (" + Integer.parseInt(value) + " ms in Breaker-Budget)"
                + " was spent on arrival"), r.body());
    }

    @Test
    void anEndpointMarkedNoBudgetIgnoresTheHeader() throws Exception {
        long left = Long.parseLong(get(c, "/hop/unbudgeted", "500").body().trim());
        assertTrue(left > 2_000 && left <= 3_000, "its own 3 s, not the caller's 500 ms: " + left);
        assertEquals(200, get(c, "/hop/unbudgeted", "0").statusCode(), "not even a spent budget is looked at");
    }

    @Test
    void aManagedExecutorTaskOfTheRequestFindsTheRequestsBreaker() throws Exception {
        assertEquals("same breaker; its time left: none", get(c, "/hop/async").body().trim(),
                "without a budget the request's own breaker has no time (no breaker.default.timeout)");
        String withBudget = get(c, "/hop/async", "5000").body().trim();
        Matcher m = Pattern.compile("same breaker; its time left: (\\d+) ms").matcher(withBudget);
        assertTrue(m.matches(), withBudget);
        assertTrue(Long.parseLong(m.group(1)) <= 4_990, withBudget);
    }

    private static int count(SampleProcess app, Pattern p) {
        return (int) app.lines.stream().filter(l -> p.matcher(l).find()).count();
    }
}
