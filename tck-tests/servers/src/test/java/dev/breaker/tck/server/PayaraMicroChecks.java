package dev.breaker.tck.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Payara Micro: {@code java -jar payara-micro.jar --deploy …}, its HTTP listener bound to the
 * loopback address by a pre-boot asadmin command, clustering and phone-home off.
 */
abstract class PayaraMicroChecks extends ServerChecks {

    @Override
    ServerProcess launch(Path java, Path work, Path app, Path cycle, int port) throws Exception {
        return ServerProcess.start(List.of(java.toString(), "-Xmx512m",
                "-jar", System.getProperty("server.jar." + id()),
                "--deploy", app.toString(), "--contextroot", "app", "--deploy", cycle.toString(),
                "--port", String.valueOf(port), "--nocluster", "--disablephonehome",
                "--prebootcommandfile", loopbackOnly(work).toString(),
                "--rootdir", work.resolve("root").toString()), work);
    }

    @Override
    String noRedeploy() {
        return "Payara Micro deploys what it is given at boot; it offers no undeploy from outside the running process: redeploy tested on WildFly and Open Liberty";
    }

    @Override
    boolean ready(List<String> console) {
        return console.stream().anyMatch(l -> l.contains("Payara Micro") && l.contains("ready in"));
    }

    /** An asadmin file that binds the HTTP listener to the loopback address only. */
    private static Path loopbackOnly(Path work) throws java.io.IOException {
        Path file = work.resolve("preboot.asadmin");
        Files.createDirectories(work);
        Files.writeString(file, "set configs.config.server-config.network-config.network-listeners"
                + ".network-listener.http-listener.address=" + ServerProcess.LOOPBACK + "\n");
        return file;
    }
}
