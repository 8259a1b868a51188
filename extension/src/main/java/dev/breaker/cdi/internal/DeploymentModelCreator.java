package dev.breaker.cdi.internal;

import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.build.compatible.spi.Parameters;
import jakarta.enterprise.inject.build.compatible.spi.SyntheticBeanCreator;

/**
 * Rebuilds the {@link DeploymentModel} at run time from the string parameters the build
 * compatible extension recorded (in Quarkus, at build time). Stateless.
 */
public class DeploymentModelCreator implements SyntheticBeanCreator<DeploymentModel> {
    static final String WORKERS = "workers";
    static final String BREAKERS = "breakers";

    @Override
    public DeploymentModel create(Instance<Object> lookup, Parameters params) {
        return DeploymentModel.decode(params.get(WORKERS, String[].class), params.get(BREAKERS, String[].class));
    }
}
