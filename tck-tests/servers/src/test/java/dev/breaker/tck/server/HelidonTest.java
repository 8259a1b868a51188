package dev.breaker.tck.server;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Helidon MP 4.4.0 ({@code helidon-microprofile-core} and {@code -health}, copied with their
 * dependencies by {@code dependency:copy-dependencies}), which needs JDK 21+: run on
 * {@code server.jdk21.home}. Helidon runs one application per JVM from a class path, not WARs: the
 * WAR's classes and library jar are laid out as a class path and started with
 * {@code io.helidon.microprofile.cdi.Main}, at the root context; the cycle application is a second,
 * short-lived JVM whose start must fail with {@code BRKR001}.
 */
class HelidonTest extends ServerChecks {

    @Override
    String id() {
        return "helidon";
    }

    @Override
    Path java() {
        return Path.of(System.getProperty("server.jdk21.home", "/nonexistent"), "bin", "java");
    }

    @Override
    ServerProcess launch(Path java, Path work, Path app, Path cycle, int port) throws Exception {
        return start(java, work.resolve("app"), app, port);
    }

    private static ServerProcess start(Path java, Path dir, Path war, int port) throws IOException {
        String classPath = explode(war, dir, port) + File.pathSeparator
                + Path.of(System.getProperty("server.dir.helidon")).resolve("*");
        return ServerProcess.start(List.of(java.toString(), "-Xmx512m", "-cp", classPath,
                "io.helidon.microprofile.cdi.Main"), dir);
    }

    /** WEB-INF/classes and WEB-INF/lib of the WAR as a class path, with Helidon's server keys added. */
    private static String explode(Path war, Path dir, int port) throws IOException {
        Path classes = dir.resolve("classes");
        List<String> entries = new ArrayList<>(List.of(classes.toString()));
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(war))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                if (e.isDirectory()) {
                    continue;
                }
                String name = e.getName();
                Path target;
                if (name.startsWith("WEB-INF/classes/")) {
                    target = classes.resolve(name.substring("WEB-INF/classes/".length()));
                } else if (name.startsWith("WEB-INF/lib/")) {
                    target = dir.resolve("lib").resolve(name.substring("WEB-INF/lib/".length()));
                    entries.add(target.toString());
                } else if (name.equals("WEB-INF/beans.xml")) {
                    target = classes.resolve("META-INF/beans.xml");
                } else {
                    continue;
                }
                Files.createDirectories(target.getParent());
                Files.write(target, in.readAllBytes());
            }
        }
        Path config = classes.resolve("META-INF/microprofile-config.properties");
        Files.writeString(config, Files.readString(config) + "\nserver.host=" + ServerProcess.LOOPBACK
                + "\nserver.port=" + port + "\n");
        return String.join(File.pathSeparator, entries);
    }

    @Override
    String noRedeploy() {
        return "Helidon MP runs one application per JVM, from a class path: nothing to redeploy (tested on WildFly and Open Liberty)";
    }

    @Override
    boolean ready(List<String> console) {
        return console.stream().anyMatch(l -> l.contains("Server started on"));
    }

    @Override
    String appPath() {
        return "";
    }

    @Override
    boolean cycleDeployedBeside() {
        return false;
    }

    @Override
    List<String> cycleConsole() throws Exception {
        Path work = Path.of(System.getProperty("server.work", "target/server-work")).resolve(id());
        try (ServerProcess cycle = start(java(), work.resolve("cycle"), work.resolve("breaker-cycle.war"),
                ServerProcess.freePort())) {
            boolean ended = cycle.awaitConsole(lines -> lines.stream().anyMatch(l -> l.contains("BRKR001")),
                    Duration.ofSeconds(120));
            assertTrue(ended, "the cycle application's start failed with BRKR001:\n" + cycle.tail(40));
            return cycle.console();
        }
    }
}
