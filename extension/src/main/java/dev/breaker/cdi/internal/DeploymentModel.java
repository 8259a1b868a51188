package dev.breaker.cdi.internal;

import java.util.Arrays;
import java.util.List;

/**
 * What deployment found, handed from the extension to the runtime beans: the workers and the
 * {@code @BreakerConfig} names injected anywhere (so their configuration is validated at boot).
 * The portable extension registers it as a synthetic bean directly; the build compatible
 * extension passes it as string parameters (in Quarkus it runs at build time, pitfall 6).
 * Immutable.
 */
public record DeploymentModel(List<WorkerDef> workers, List<String> breakerNames) {

    public DeploymentModel {
        workers = List.copyOf(workers);
        breakerNames = List.copyOf(breakerNames);
    }

    String[] encodedWorkers() {
        return workers.stream().map(WorkerDef::encode).toArray(String[]::new);
    }

    static DeploymentModel decode(String[] workers, String[] breakerNames) {
        return new DeploymentModel(Arrays.stream(workers).map(WorkerDef::decode).toList(),
                Arrays.asList(breakerNames));
    }
}
