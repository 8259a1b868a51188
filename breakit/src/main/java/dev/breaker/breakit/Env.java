package dev.breaker.breakit;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a breakit invocation works with: the state directory, how to start another JVM running
 * breakit (the detached supervisor), and where to print. Tests make their own.
 */
record Env(Store store, List<String> java, PrintWriter out, PrintWriter err) {

    /** The real thing: {@code $XDG_STATE_HOME/breakit}, this JVM's java and class path, stdout, stderr. */
    static Env system() {
        return new Env(new Store(Store.defaultDir(System.getenv())),
                javaCommand(System.getProperty("java.class.path")),
                new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    }

    /** A small JVM running breakit from {@code classPath}: the supervisor needs little. */
    static List<String> javaCommand(String classPath) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Xss512k");
        cmd.add("-Xms4m");            // an idle supervisor touches little heap: do not commit more at start
        cmd.add("-Xmx32m");
        cmd.add("-XX:-UsePerfData");  // no hsperfdata file for jstat
        cmd.add("-Djava.util.logging.SimpleFormatter.format=%1$tF %1$tT breakit: %5$s%6$s%n");
        cmd.add("-cp");
        cmd.add(classPath);
        return List.copyOf(cmd);
    }

    /** {@code setsid}, to start the supervisor in a session of its own, if this system has one. */
    static Optional<String> setsid() {
        return Optional.ofNullable(setsidPath());
    }

    /** The path of {@code setsid} on the PATH, or null. */
    static String setsidPath() {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "/usr/bin:/bin" : path).split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "setsid"))) {
                return Path.of(dir, "setsid").toString();
            }
        }
        return null;
    }
}
