package dev.breaker.breakit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every bad input: one line on stderr, "breakit: BRKTnnn: …", exit status 125 (as GNU timeout), nothing started. */
class BadInputTest {
    @TempDir
    Path home;

    @ParameterizedTest
    @ValueSource(strings = {
            "run|10x|--|true",               // malformed duration
            "run|-1s|--|true",               // negative
            "run|-PT1S|--|true",
            "run|1h30|--|true",              // Go needs a unit on every part
            "run|10m|--",                    // nothing after --
            "run|10m",                       // no command
            "run|-s|FOO|1|true",             // unknown signal
            "run|-s|65|1|true",
            "run|--frob|1|true",             // unknown option
            "run|--signal|1|true",           // (takes 1 as the signal, then true as the duration)
            "run|-k|x|1|true",
            "run|--verbose=yes|1|true",
            "run|nan|true",
            "run|1ss|true",
            "run|1 |true",
            "run|--|true",                   // no duration
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
    void isReportedOnOneLineWithStatus125(String line) {
        String[] args = line.isEmpty() ? new String[0] : line.split("\\|", -1);
        Cli.Result r = new Cli(home).inProcess(args);
        assertEquals(125, r.status(), "status of " + line + "; stderr: " + r.err());
        assertEquals(1, r.errLines().size(), "one line: " + r.err());
        assertTrue(r.err().matches("breakit: BRKT\\d{3}: \\S.*\\R"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void theRealCommandExitsWith125Too() throws Exception {
        Cli.Result r = new Cli(home).run("run", "1h30", "--", "true");
        assertEquals(125, r.status());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains("invalid duration '1h30'"), r.err());
    }
}
