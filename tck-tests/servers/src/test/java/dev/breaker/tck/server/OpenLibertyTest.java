package dev.breaker.tck.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Open Liberty (the kernel runtime zip with its features: {@code cdi-4.0}, {@code restfulWS-3.1},
 * {@code mpConfig-3.1}, {@code mpHealth-4.0}), on the build's own JDK, launched with
 * {@code bin/server run}, which {@code exec}s the JVM (with the JDK options the runtime needs), so
 * SIGTERM reaches the JVM itself.
 */
class OpenLibertyTest extends ServerChecks {

    @Override
    String id() {
        return "liberty";
    }

    @Override
    Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    @Override
    ServerProcess launch(Path java, Path work, Path app, Path cycle, int port) throws Exception {
        Path wlp = Path.of(System.getProperty("server.dir.liberty"));
        Path usr = work.resolve("usr");
        Path server = usr.resolve("servers").resolve("breaker");
        Files.createDirectories(server.resolve("apps"));
        Files.copy(app, server.resolve("apps").resolve("breaker-app.war"));
        Files.copy(cycle, server.resolve("apps").resolve("breaker-cycle.war"));
        Files.writeString(server.resolve("server.xml"), """
                <server>
                  <featureManager>
                    <feature>cdi-4.0</feature>
                    <feature>restfulWS-3.1</feature>
                    <feature>mpConfig-3.1</feature>
                    <feature>mpHealth-4.0</feature>
                  </featureManager>
                  <httpEndpoint id="defaultHttpEndpoint" host="%s" httpPort="%d" httpsPort="-1"/>
                  <webApplication location="breaker-app.war" contextRoot="app"/>
                  <webApplication location="breaker-cycle.war" contextRoot="breaker-cycle"/>
                  <applicationManager startTimeout="120s"/>
                </server>
                """.formatted(ServerProcess.LOOPBACK, port));
        Files.writeString(server.resolve("jvm.options"), "-Xmx512m\n");
        return ServerProcess.start(List.of(wlp.resolve("bin/server").toString(), "run", "breaker"), work,
                Map.of("WLP_USER_DIR", usr.toString(), "JAVA_HOME", java.getParent().getParent().toString()));
    }

    @Override
    boolean readinessCountsFailedApplications() {
        return true;
    }

    @Override
    boolean ready(List<String> console) {
        return console.stream().anyMatch(l -> l.contains("CWWKF0011I"));
    }
}
