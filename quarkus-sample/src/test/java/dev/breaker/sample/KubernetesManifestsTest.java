package dev.breaker.sample;

import dev.breaker.cdi.internal.Durations;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kubernetes manifests in {@code k8s/} against the application's own configuration
 * ({@code application.properties}, the values a deployed instance runs with): no cluster runs
 * here, so the invariants that make a rolling update lose nothing are checked instead, and the
 * probe paths are called on the running application.
 */
@QuarkusTest
class KubernetesManifestsTest {
    /** Room for the JVM's exit and the clock skew between the kubelet and the process. */
    static final Duration MARGIN = Duration.ofSeconds(5);
    static final Path K8S = Path.of("k8s");

    static Properties config;
    static Map<String, Object> deployment;
    static Map<String, Object> service;
    static Map<String, Object> pdb;

    @BeforeAll
    static void load() throws IOException {
        config = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            config.load(r);
        }
        deployment = only("deployment.yaml", "Deployment");
        service = only("service.yaml", "Service");
        pdb = only("pdb.yaml", "PodDisruptionBudget");
    }

    private static Map<String, Object> only(String file, String kind) throws IOException {
        List<Map<String, Object>> docs = MiniYaml.parseAll(Files.readString(K8S.resolve(file)));
        assertEquals(1, docs.size(), file + " holds one manifest");
        assertEquals(kind, docs.get(0).get("kind"), file);
        return docs.get(0);
    }

    /** A (prod-profile) duration from application.properties, or the default. */
    static Duration duration(String key, String fallback) {
        return Durations.parse(config.getProperty(key, fallback));
    }

    /** Follows a path of map keys and list indexes: {@code at(deployment, "spec", "replicas")}. */
    @SuppressWarnings("unchecked")
    static <T> T at(Object node, Object... path) {
        Object n = node;
        for (Object step : path) {
            assertNotNull(n, "nothing at " + List.of(path));
            n = step instanceof Integer i ? ((List<Object>) n).get(i) : ((Map<String, Object>) n).get(step);
        }
        assertNotNull(n, "nothing at " + List.of(path));
        return (T) n;
    }

    static Map<String, Object> container() {
        List<Object> containers = at(deployment, "spec", "template", "spec", "containers");
        assertEquals(1, containers.size());
        return at(containers, 0);
    }

    static int seconds(Object node, String... path) {
        return Integer.parseInt(at(node, (Object[]) path));
    }

    @Test
    void threeReplicasUpdatedOneAtATimeWithABudget() {
        assertEquals("3", at(deployment, "spec", "replicas"));
        assertEquals("0", at(deployment, "spec", "strategy", "rollingUpdate", "maxUnavailable"),
                "a rolling update never goes below the replica count");
        int minAvailable = Integer.parseInt(at(pdb, "spec", "minAvailable"));
        assertTrue(minAvailable >= 1 && minAvailable < 3, "the budget lets one pod go at a time: " + minAvailable);
        Map<String, Object> podLabels = at(deployment, "spec", "template", "metadata", "labels");
        assertEquals(podLabels, at(deployment, "spec", "selector", "matchLabels"));
        assertEquals(podLabels, at(service, "spec", "selector"), "the Service selects the pods");
        assertEquals(podLabels, at(pdb, "spec", "selector", "matchLabels"), "the budget covers the pods");
    }

    @Test
    void portsMatchTheConfiguration() {
        int port = Integer.parseInt(config.getProperty("quarkus.http.port", "8080")); // Quarkus' default
        Map<String, Object> http = at(container(), "ports", 0);
        assertEquals("http", http.get("name"));
        assertEquals(Integer.toString(port), http.get("containerPort"), "the container port is quarkus.http.port");
        assertEquals("http", at(service, "spec", "ports", 0, "targetPort"), "the Service targets that port");
        assertEquals("http", at(container(), "readinessProbe", "httpGet", "port"));
        assertEquals("http", at(container(), "livenessProbe", "httpGet", "port"));
    }

    @Test
    void probesCallTheRealHealthEndpoints() {
        String readiness = at(container(), "readinessProbe", "httpGet", "path");
        String liveness = at(container(), "livenessProbe", "httpGet", "path");
        assertEquals("/q/health/ready", readiness);
        assertEquals("/q/health/live", liveness);
        for (String path : List.of(readiness, liveness)) { // served by this very application, and UP
            given().when().get(path).then().statusCode(200).body("status", equalTo("UP"));
        }
        given().when().get(readiness).then()
                .body("checks.find { it.name == 'breaker-workers' }.status", equalTo("UP"));
    }

    @Test
    void theGracePeriodCoversTheWholeShutdown() {
        Duration delay = duration("breaker.shutdown.readiness-delay", "0s");
        Duration httpDrain = duration("quarkus.shutdown.timeout", "0s");
        Duration workers = duration("breaker.shutdown.timeout", "25s");
        // SIGTERM -> delay -> the HTTP gate's wait for requests in flight (<= httpDrain) -> workers
        // -> Quarkus' own HTTP drain (<= httpDrain) -> exit
        Duration needed = delay.plus(httpDrain).plus(workers).plus(httpDrain).plus(MARGIN);
        int grace = seconds(deployment, "spec", "template", "spec", "terminationGracePeriodSeconds");
        assertTrue(grace >= needed.toSeconds(), "terminationGracePeriodSeconds " + grace + " < " + needed.toSeconds()
                + " (readiness delay " + delay + " + 2 x HTTP drain " + httpDrain + " + workers " + workers
                + " + margin " + MARGIN + ")");
        assertTrue(delay.compareTo(Duration.ZERO) > 0, "a readiness delay is configured for the deployed instances");
    }

    @Test
    void readinessNoticesTheShutdownWithinTheDelay() {
        Duration delay = duration("breaker.shutdown.readiness-delay", "0s");
        Map<String, Object> probe = at(container(), "readinessProbe");
        int period = seconds(probe, "periodSeconds");
        int failures = seconds(probe, "failureThreshold");
        int timeout = seconds(probe, "timeoutSeconds");
        int noticedWithin = period * failures + timeout;
        assertTrue(noticedWithin <= delay.toSeconds(), "the readiness probe notices DOWN within " + noticedWithin
                + " s, which must fit in the readiness delay " + delay);
        Map<String, Object> live = at(container(), "livenessProbe");
        List<String> problems = new ArrayList<>();
        if (seconds(live, "periodSeconds") * seconds(live, "failureThreshold") < 10) {
            problems.add("a liveness probe that gives up within 10 s can kill a pod that is only slow");
        }
        assertTrue(problems.isEmpty(), problems.toString());
    }

    @Test
    void theDeploymentSelectsThePostgresqlProfile() {
        List<Map<String, Object>> env = at(container(), "env");
        Map<String, Object> profile = env.stream().filter(e -> "QUARKUS_PROFILE".equals(e.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no QUARKUS_PROFILE in " + env));
        assertEquals("postgresql", profile.get("value"));
        assertEquals("true", config.getProperty("%postgresql.quarkus.datasource.postgresql.active"),
                "the profile the manifest names exists");
    }
}
