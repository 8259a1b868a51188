package dev.breaker.breakit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Arguments and command paths that are not valid UTF-8 (or not ASCII, under LC_ALL=C) reach the
 * command byte for byte. Java itself cannot write such an argument: a shell makes them, with
 * printf, and starts breakit.
 */
class BytesTest {
    @TempDir
    Path home;

    /** Runs {@code script} with sh, breakit's java command line in "$@", and waits. */
    private int sh(String script, String env) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", script, "sh"));
        cmd.addAll(new Cli(home).command());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(home.resolve("sh.out").toFile());
        pb.environment().put("D", home.toString());
        if (env != null) {
            pb.environment().put("LC_ALL", env);
        }
        Process p = pb.start();
        assertTrue(p.waitFor(Cli.BOUND.toSeconds(), TimeUnit.SECONDS));
        return p.exitValue();
    }

    @Test
    void anArgumentThatIsNotUtf8ArrivesUnchanged() throws Exception {
        int status = sh("\"$@\" run 30 sh -c 'printf %s \"$1\" > \"$D/got\"' sh \"$(printf 'a\\377b\\300')\"", null);
        assertEquals(0, status, Cli.read(home.resolve("sh.out")));
        assertArrayEquals(new byte[] {'a', (byte) 0xff, 'b', (byte) 0xc0}, Files.readAllBytes(home.resolve("got")));
    }

    @Test
    void utf8TextArrivesUnchangedUnderTheCLocale() throws Exception {
        int status = sh("\"$@\" run 30 sh -c 'printf %s \"$1\" > \"$D/got\"' sh \"$(printf 'caf\\303\\251')\"", "C");
        assertEquals(0, status, Cli.read(home.resolve("sh.out")));
        assertArrayEquals(new byte[] {'c', 'a', 'f', (byte) 0xc3, (byte) 0xa9}, Files.readAllBytes(home.resolve("got")));
    }

    @Test
    void aCommandPathThatIsNotUtf8CanBeRun() throws Exception {
        String make = "p=$(printf \"$D/x\\377y\"); printf '#!/bin/sh\\necho \"ran $1\" > \"$D/got\"\\n' > \"$p\"; chmod +x \"$p\"; ";
        int status = sh(make + "\"$@\" run 30 \"$p\" 7", null);
        assertEquals(0, status, Cli.read(home.resolve("sh.out")));
        assertEquals("ran 7\n", Files.readString(home.resolve("got")));
    }
}
