package dev.breaker.cdi.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A validated worker as the runtime needs it: name, bean class, and the names of the workers it
 * depends on (declared and injected). Immutable.
 */
public record WorkerDef(String name, String className, List<String> dependsOn) {

    public WorkerDef {
        dependsOn = List.copyOf(dependsOn);
    }

    /** {@code name|class|dep1,dep2}: the form synthetic bean parameters carry (strings only). */
    String encode() {
        return name + '|' + className + '|' + String.join(",", dependsOn);
    }

    static WorkerDef decode(String s) {
        String[] parts = s.split("\\|", -1);
        List<String> deps = parts[2].isEmpty() ? List.of() : new ArrayList<>(Arrays.asList(parts[2].split(",")));
        return new WorkerDef(parts[0], parts[1], deps);
    }
}
