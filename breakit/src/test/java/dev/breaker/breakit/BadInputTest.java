package dev.breaker.breakit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every bad input: one line on stderr starting with "breakit: ", exit status 2, nothing started. */
class BadInputTest {
    @TempDir
    Path home;

    @ParameterizedTest
    @ValueSource(strings = {
            "run|10x|--|true",               // malformed duration
            "run|-1s|--|true",               // negative
            "run|-PT1S|--|true",
            "run|0|--|true",                 // zero: would never run
            "run|1h30|--|true",              // Go needs a unit on every part
            "run|10m|true",                  // missing --
            "run|10m|--",                    // nothing after --
            "run|--|true",                   // no duration
            "run|1s|2s|--|true",             // two durations
            "run|--grace|soon|1s|--|true",   // malformed grace
            "after|10m|--",
            "after|10m|sleep|1",
            "after|abc|--|true",
            "after|10m|delay|--|true",
            "after|10m|delay|x|--|true",
            "after|10m|later|5s|--|true",
            "after|5s|delay|5s|--|true",     // the delay eats the whole duration
            "after|5s|delay|-1s|--|true",
            "frobnicate",                    // unknown subcommand
            "",                              // no subcommand
            "ps|-x",
            "stop|abcdef",                   // unknown id
            "logs|zzz",
            "stop",
    })
    void isReportedOnOneLineWithStatus2(String line) {
        String[] args = line.isEmpty() ? new String[0] : line.split("\\|", -1);
        Cli.Result r = new Cli(home).inProcess(args);
        assertEquals(2, r.status(), "status of " + line + "; stderr: " + r.err());
        assertEquals(1, r.errLines().size(), "one line: " + r.err());
        assertTrue(r.err().startsWith("breakit: "), r.err());
        assertEquals("", r.out());
    }

    @Test
    void theRealCommandExitsWith2Too() throws Exception {
        Cli.Result r = new Cli(home).run("run", "1h30", "--", "true");
        assertEquals(2, r.status());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains("invalid duration '1h30'"), r.err());
    }
}
