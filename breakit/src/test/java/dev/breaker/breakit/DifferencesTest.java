package dev.breaker.breakit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The README's table of differences from GNU {@code timeout}: every row is run with both tools
 * (through a shell, as the row is written, and under perl, which sees a death by signal) and
 * must end as the row says.
 */
class DifferencesTest {
    private static final Pattern ROW = Pattern.compile("\\| `(.+)` \\| (exit \\d+|SIG[A-Z0-9]+) \\| (exit \\d+|SIG[A-Z0-9]+) \\| .+ \\|");

    @TempDir
    Path home;

    @Test
    void everyRowOfTheReadmeTableHolds() throws Exception {
        assumeTrue(Cli.has("perl"), "perl is not installed: cannot see a death by signal");
        String readme = Files.readString(Path.of("README.md"));
        String table = readme.substring(readme.indexOf("<!-- differences:"), readme.indexOf("<!-- end of differences -->"));
        List<String[]> rows = new ArrayList<>();
        for (String line : table.lines().toList()) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                rows.add(new String[] {m.group(1), m.group(2), m.group(3)});
            }
        }
        assertTrue(rows.size() >= 5, "the table was found: " + table);
        boolean gnu = Cli.has("timeout") && version().contains("(GNU coreutils) 9.1");
        Cli cli = new Cli(home);
        List<String> failures = new ArrayList<>();
        int n = 0;
        for (String[] row : rows) {
            n++;
            if (gnu) {
                String got = outcome(cli, "exec timeout " + row[0], "gnu" + n);
                if (!got.equals(row[1])) {
                    failures.add("timeout " + row[0] + ": " + got + ", the README says " + row[1]);
                }
            }
            String ours = outcome(cli, "exec " + String.join(" ", quoted(cli.command("run"))) + " " + row[0], "ours" + n);
            if (!ours.equals(row[2])) {
                failures.add("breakit run " + row[0] + ": " + ours + ", the README says " + row[2]);
            }
        }
        assertEquals(List.of(), failures);
        assumeTrue(gnu, "GNU timeout 9.1 is not installed: only breakit's column was checked");
    }

    private String outcome(Cli cli, String shellLine, String name) throws Exception {
        Path report = home.resolve(name);
        cli.startUnderPerl(report, List.of("sh", "-c", shellLine)).await();
        Cli.Raw raw = Cli.raw(report);
        return raw.signal() != 0 ? "SIG" + SignalNames.name(raw.signal()) : "exit " + raw.exit();
    }

    private static List<String> quoted(List<String> words) {
        List<String> q = new ArrayList<>();
        for (String w : words) {
            q.add("'" + w.replace("'", "'\\''") + "'");
        }
        return q;
    }

    private static String version() throws Exception {
        Process p = new ProcessBuilder("timeout", "--version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }
}
