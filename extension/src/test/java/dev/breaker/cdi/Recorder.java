package dev.breaker.cdi;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A thread-safe log of what test workers did, in order ("start:a", "stop:a"). */
final class Recorder {
    static final List<String> LOG = new CopyOnWriteArrayList<>();

    private Recorder() {
    }

    static void add(String entry) {
        LOG.add(entry);
    }

    static int indexOf(String entry) {
        int i = LOG.indexOf(entry);
        assertTrue(i >= 0, () -> "missing " + entry + " in " + LOG);
        return i;
    }

    /** {@code dependent} started after and stopped before {@code dependency}. */
    static void assertEdge(String dependent, String dependency) {
        assertTrue(indexOf("start:" + dependency) < indexOf("start:" + dependent),
                () -> dependency + " must start before " + dependent + ": " + LOG);
        assertTrue(indexOf("stop:" + dependent) < indexOf("stop:" + dependency),
                () -> dependent + " must stop before " + dependency + ": " + LOG);
    }
}
