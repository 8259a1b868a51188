package dev.breaker.tck.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Open Liberty (the kernel runtime zip with its features: {@code cdi-4.0}, {@code restfulWS-3.1},
 * {@code mpConfig-3.1}, {@code mpHealth-4.0}), on the build's own JDK, launched with
 * {@code bin/server run}, which {@code exec}s the JVM (with the JDK options the runtime needs), so
 * SIGTERM reaches the JVM itself.
 */
class OpenLibertyTest extends ServerChecks {
    private Path dropins;
    private int deployed;
    private int undeployed;

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
        dropins = Files.createDirectories(server.resolve("dropins"));
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
                  <applicationMonitor updateTrigger="polled" pollingRate="100ms" dropinsEnabled="true"/>
                </server>
                """.formatted(ServerProcess.LOOPBACK, port));
        // a full GC clears every soft reference: Liberty's log service keeps its early messages in
        // soft references, and one of them (a JAX-RS message naming the application's class) holds
        // each undeployed application's loader until memory runs short (see redeployTwentyTimes)
        Files.writeString(server.resolve("jvm.options"), "-Xmx512m\n-XX:SoftRefLRUPolicyMSPerMB=0\n");
        return ServerProcess.start(List.of(wlp.resolve("bin/server").toString(), "run", "breaker"), work,
                Map.of("WLP_USER_DIR", usr.toString(), "JAVA_HOME", java.getParent().getParent().toString()));
    }

    @Override
    boolean readinessCountsFailedApplications() {
        return true;
    }

    /**
     * Measured: at SIGTERM Open Liberty quiesces: its HTTP endpoint stops listening within about
     * 100 ms (the few connections accepted at that moment are reset), while the application and
     * the library's readiness delay go on; readiness (same port) says DOWN before that.
     */
    @Override
    UnderLoad underLoad() {
        return UnderLoad.CLOSES_AT_SIGTERM;
    }

    @Override
    String noRedeploy() {
        return null;
    }

    /** Into {@code dropins/} (moved in whole), then wait for {@code CWWKZ0001I} (started) or a CWWKZ error. */
    @Override
    void deploy(Path war) throws Exception {
        Path partial = dropins.resolve(".breaker-redeploy.partial");
        Files.copy(war, partial, StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, dropins.resolve("breaker-redeploy.war"), StandardCopyOption.ATOMIC_MOVE);
        deployed++;
        awaitConsole("CWWKZ0001I", deployed);
    }

    /** Out of {@code dropins/}, then wait for {@code CWWKZ0009I} (stopped). */
    @Override
    void undeploy() throws Exception {
        Files.delete(dropins.resolve("breaker-redeploy.war"));
        undeployed++;
        awaitConsole("CWWKZ0009I", undeployed);
    }

    private void awaitConsole(String code, int count) throws Exception {
        java.util.regex.Pattern error = java.util.regex.Pattern.compile("CWWKZ\\d{4}E");
        java.util.function.Predicate<String> ours = l -> l.contains("breaker-redeploy");
        boolean done = server().awaitConsole(lines -> lines.stream().filter(ours).filter(l -> l.contains(code)).count()
                >= count || lines.stream().filter(ours).anyMatch(l -> error.matcher(l).find()), Duration.ofSeconds(60));
        List<String> errors = server().lines("breaker-redeploy").stream().filter(l -> error.matcher(l).find()).toList();
        assertTrue(done && errors.isEmpty(), code + " #" + count + " for breaker-redeploy within 60 s; errors: "
                + errors + "\n" + server().tail(40));
    }

    /**
     * Measured (heap dump, paths from the GC roots): with soft references cleared, Open Liberty
     * keeps the last undeployed application through Weld's static {@code BuildServicesImpl}
     * annotation factory (an OSGi service), as WildFly does.
     */
    @Override
    int retainedCopies() {
        return 2;
    }

    @Override
    boolean ready(List<String> console) {
        return console.stream().anyMatch(l -> l.contains("CWWKF0011I"));
    }
}
