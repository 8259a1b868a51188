package dev.breaker.opentelemetry;

import dev.breaker.cdi.internal.GraphHook;
import dev.breaker.worker.WorkerGraph;
import io.opentelemetry.api.OpenTelemetry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.lang.System.Logger.Level;

/**
 * The CDI side: when the application has an {@code OpenTelemetry} bean (MicroProfile Telemetry
 * and Quarkus's OpenTelemetry extension expose one), the CDI extension's worker graph is
 * instrumented as {@link BreakerTelemetry#instrument} does, and trips are counted, from the
 * moment the workers are about to start to the container's destruction of this bean, which
 * comes after the workers have stopped (they stop at {@code @BeforeDestroyed}). Without such a
 * bean, or with several, it does nothing ({@code BRKR043} at DEBUG). Discovered through this
 * jar's {@code beans.xml} (Weld SE with discovery off: add this class, as the extension).
 *
 * <p>Thread safety: the extension calls {@link #building} and {@link #built} once, one after
 * the other, on the thread that starts the workers; {@link #close} comes after them, from the
 * container; the fields are volatile for that hand-over. Never throws into the extension.
 */
@ApplicationScoped
class CdiTelemetry implements GraphHook {
    private final Instance<OpenTelemetry> openTelemetry;
    private volatile BreakerTelemetry telemetry;
    private volatile GraphTelemetry listener;

    /** For the container's proxy only. */
    CdiTelemetry() {
        this.openTelemetry = null;
    }

    @Inject
    CdiTelemetry(Instance<OpenTelemetry> openTelemetry) {
        this.openTelemetry = openTelemetry;
    }

    @Override
    public void building(WorkerGraph.Builder builder) {
        try {
            if (!openTelemetry.isResolvable()) {
                Messages.LOG.log(Level.DEBUG, Messages.noOpenTelemetryBean(openTelemetry.isAmbiguous()));
                return;
            }
            BreakerTelemetry t = BreakerTelemetry.install(openTelemetry.get());
            telemetry = t;
            GraphTelemetry l = t.listener();
            builder.listener(l);
            listener = l;
        } catch (RuntimeException | LinkageError e) {
            Messages.LOG.log(Level.WARNING, Messages.recordingFailed("the CDI worker graph"), e);
        }
    }

    @Override
    public void built(WorkerGraph graph) {
        BreakerTelemetry t = telemetry;
        GraphTelemetry l = listener;
        if (t != null && l != null) {
            try {
                t.attach(l, graph);
            } catch (RuntimeException e) {
                Messages.LOG.log(Level.WARNING, Messages.recordingFailed("the CDI worker graph"), e);
            }
        }
    }

    @PreDestroy
    void close() {
        BreakerTelemetry t = telemetry;
        if (t != null) {
            telemetry = null;
            t.close();
        }
    }
}
