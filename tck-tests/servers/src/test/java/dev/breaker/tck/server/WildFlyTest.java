package dev.breaker.tck.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * WildFly (the full distribution zip) with {@code standalone-microprofile.xml} (MicroProfile Config
 * and Health), on the build's own JDK. The server's base directory is a fresh copy of the
 * distribution's {@code standalone/} in the work directory, with the WARs in its
 * {@code deployments/} ({@code app.war} → {@code /app}); HTTP and management bound to the loopback
 * address on free ports. Health is served on the management port. Launched with
 * {@code bin/standalone.sh}, which forwards SIGTERM to the JVM and exits 0 once it is gone.
 */
class WildFlyTest extends ServerChecks {
    private int managementPort;

    @Override
    String id() {
        return "wildfly";
    }

    @Override
    Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    @Override
    ServerProcess launch(Path java, Path work, Path app, Path cycle, int port) throws Exception {
        Path home = Path.of(System.getProperty("server.dir.wildfly"));
        Path base = work.resolve("standalone");
        copyTree(home.resolve("standalone"), base);
        Files.copy(app, base.resolve("deployments").resolve("app.war"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(cycle, base.resolve("deployments").resolve("breaker-cycle.war"), StandardCopyOption.REPLACE_EXISTING);
        managementPort = ServerProcess.freePort();
        return ServerProcess.start(List.of("sh", home.resolve("bin/standalone.sh").toString(),
                "-c", "standalone-microprofile.xml",
                "-Djboss.server.base.dir=" + base,
                "-b", ServerProcess.LOOPBACK, "-bmanagement", ServerProcess.LOOPBACK,
                "-Djboss.http.port=" + port, "-Djboss.https.port=" + ServerProcess.freePort(),
                "-Djboss.management.http.port=" + managementPort,
                "-Djboss.management.https.port=" + ServerProcess.freePort()), work,
                Map.of("JAVA_HOME", java.getParent().getParent().toString(), "JAVA_OPTS", "-Xmx512m",
                        "LAUNCH_JBOSS_IN_BACKGROUND", "true"));
    }

    /** WildFly's overall readiness includes {@code boot-errors}: DOWN after the cycle WAR failed. */
    @Override
    boolean readinessCountsFailedApplications() {
        return true;
    }

    @Override
    int healthPort(int httpPort) {
        return managementPort;
    }

    @Override
    boolean ready(List<String> console) {
        return console.stream().anyMatch(l -> l.contains("WFLYSRV0025") || l.contains("WFLYSRV0026"));
    }

    private static void copyTree(Path from, Path to) throws java.io.IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
