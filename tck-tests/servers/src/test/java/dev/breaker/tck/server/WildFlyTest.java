package dev.breaker.tck.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * WildFly (the full distribution zip) with {@code standalone-microprofile.xml} (MicroProfile Config
 * and Health), on the build's own JDK. The server's base directory is a fresh copy of the
 * distribution's {@code standalone/} in the work directory, with the WARs in its
 * {@code deployments/} ({@code app.war} → {@code /app}); HTTP and management bound to the loopback
 * address on free ports. Health is served on the management port. Launched with
 * {@code bin/standalone.sh}, which forwards SIGTERM to the JVM and exits 0 once it is gone.
 */
class WildFlyTest extends ServerChecks {
    private static final String REDEPLOYED = "breaker-redeploy.war";
    private int managementPort;
    private Path deployments;

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
        // the deployment scanner every 100 ms (not 5 s): the redeploy test deploys through its marker files
        Path config = base.resolve("configuration").resolve("standalone-microprofile.xml");
        Files.writeString(config, Files.readString(config).replace("scan-interval=\"5000\"", "scan-interval=\"100\""));
        deployments = base.resolve("deployments");
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

    /**
     * Measured: at SIGTERM WildFly suspends and stops its HTTP listener within about 30 ms (503s,
     * then the port closed; a connection accepted at that moment may be reset), and its management
     * port (readiness) goes too, while the application and the library's readiness delay go on for
     * 2 s more: nothing the deployment can hold.
     */
    @Override
    UnderLoad underLoad() {
        return UnderLoad.CLOSES_AT_SIGTERM;
    }

    @Override
    int healthPort(int httpPort) {
        return managementPort;
    }

    @Override
    String noRedeploy() {
        return null;
    }

    /** Through the deployment scanner: {@code .dodeploy} in, wait for {@code .deployed} (or {@code .failed}). */
    @Override
    void deploy(Path war) throws Exception {
        Path target = deployments.resolve(REDEPLOYED);
        if (!Files.exists(target)) {
            Files.copy(war, target);
        }
        Files.deleteIfExists(marker(".undeployed"));
        Files.writeString(marker(".dodeploy"), "");
        awaitMarker(".deployed", ".failed");
    }

    /** Removing {@code .deployed} undeploys; the scanner then writes {@code .undeployed}. */
    @Override
    void undeploy() throws Exception {
        Files.delete(marker(".deployed"));
        awaitMarker(".undeployed", ".failed");
    }

    private Path marker(String suffix) {
        return deployments.resolve(REDEPLOYED + suffix);
    }

    private void awaitMarker(String wanted, String failed) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.exists(marker(wanted)) && !Files.exists(marker(failed)) && System.nanoTime() < end) {
            Thread.sleep(50); // the scanner's marker files: a bounded poll
        }
        assertTrue(Files.exists(marker(wanted)), REDEPLOYED + wanted + " within 60 s"
                + (Files.exists(marker(failed)) ? ": " + Files.readString(marker(failed)) : ""));
    }

    /**
     * Measured with a WAR without the library on this WildFly: after undeploy and GC it keeps the
     * last undeployed application loaded for a while (Weld's static {@code BuildServicesImpl}
     * annotation factory holds the last bean manager; an idle Undertow thread's stack the last
     * exchange).
     */
    @Override
    int retainedCopies() {
        return 2;
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
