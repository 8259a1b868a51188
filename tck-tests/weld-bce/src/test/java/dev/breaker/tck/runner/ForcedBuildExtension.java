package dev.breaker.tck.runner;

import dev.breaker.cdi.Worker;
import dev.breaker.cdi.internal.BreakerBuildExtension;
import jakarta.enterprise.inject.build.compatible.spi.BeanInfo;
import jakarta.enterprise.inject.build.compatible.spi.ClassConfig;
import jakarta.enterprise.inject.build.compatible.spi.Discovery;
import jakarta.enterprise.inject.build.compatible.spi.Enhancement;
import jakarta.enterprise.inject.build.compatible.spi.Messages;
import jakarta.enterprise.inject.build.compatible.spi.Registration;
import jakarta.enterprise.inject.build.compatible.spi.ScannedClasses;
import jakarta.enterprise.inject.build.compatible.spi.Synthesis;
import jakarta.enterprise.inject.build.compatible.spi.SyntheticComponents;
import jakarta.enterprise.inject.build.compatible.spi.Validation;

/**
 * The library's build compatible extension without {@code @SkipIfPortableExtensionPresent}
 * (annotations on a class are not inherited), so Weld runs it. Weld's translator reads only the
 * registered class's declared methods, so each phase is re-declared here and delegates.
 * Keep in step with {@link BreakerBuildExtension}'s phase methods.
 */
public class ForcedBuildExtension extends BreakerBuildExtension {

    @Override
    @Discovery
    public void discover(ScannedClasses scanned) {
        super.discover(scanned);
    }

    @Override
    @Enhancement(types = Object.class, withSubtypes = true, withAnnotations = Worker.class)
    public void keepWorkers(ClassConfig type) {
        super.keepWorkers(type);
    }

    @Override
    @Registration(types = Object.class)
    public void collect(BeanInfo bean) {
        super.collect(bean);
    }

    @Override
    @Synthesis
    public void model(SyntheticComponents synthetic) {
        super.model(synthetic);
    }

    @Override
    @Validation
    public void report(Messages messages) {
        super.report(messages);
    }
}
