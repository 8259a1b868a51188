package dev.breaker.sample;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The YAML subset the manifests use, and a loud refusal of the rest. */
class MiniYamlTest {
    @Test
    void mappingsSequencesOfMappingsCommentsAndDocuments() {
        List<Map<String, Object>> docs = MiniYaml.parseAll("""
                # a comment
                kind: Deployment   # trailing comment
                spec:
                  replicas: 3
                  containers:
                    - name: "sample"
                      ports:
                      - name: http
                        containerPort: 8080
                      args:
                        - -Dx=1
                        - 'a # not a comment'
                ---
                kind: Service
                """);
        assertEquals(2, docs.size());
        Map<String, Object> d = docs.get(0);
        assertEquals("Deployment", d.get("kind"));
        Map<String, Object> spec = KubernetesManifestsTest.at(d, "spec");
        assertEquals("3", spec.get("replicas"));
        assertEquals("sample", KubernetesManifestsTest.at(spec, "containers", 0, "name"));
        assertEquals("8080", KubernetesManifestsTest.at(spec, "containers", 0, "ports", 0, "containerPort"));
        assertEquals(List.of("-Dx=1", "a # not a comment"), KubernetesManifestsTest.at(spec, "containers", 0, "args"));
        assertEquals("Service", docs.get(1).get("kind"));
    }

    @Test
    void refusesWhatItDoesNotUnderstand() {
        for (String bad : List.of("a: {b: 1}", "a: [1, 2]", "a: |\n  text", "a: &x 1", "a: 1\na: 2", "a: 1\n   b: 2")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MiniYaml.parseAll(bad), bad);
            assertTrue(e.getMessage().startsWith("line "), e.getMessage());
        }
    }
}
