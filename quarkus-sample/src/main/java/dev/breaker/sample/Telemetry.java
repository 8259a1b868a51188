package dev.breaker.sample;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.exporter.prometheus.PrometheusHttpServer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * The sample's OpenTelemetry: an SDK whose metrics are served in the Prometheus text format at
 * {@code http://<host>:<sample.metrics.port>/metrics} (default 9464; 0 picks a free port, as most
 * tests do). With {@code dev.breaker:breaker-opentelemetry} on the class path, the library finds
 * this bean and records its breakers and workers there ({@code breaker_trips_total},
 * {@code breaker_workers}, {@code breaker_worker_start_duration_seconds}, ...). A service with
 * Quarkus' own OpenTelemetry extension gets the same from that extension's bean, exported with
 * OTLP; this sample has no collector to send to, hence an endpoint of its own.
 *
 * <p>{@code @Singleton}, not a normal scope: the library flushes the SDK at the end of the
 * workers' stop, which it can only do on the SDK itself, not on a client proxy. Closed by the
 * container after the workers have stopped.
 */
public class Telemetry {
    private static final Logger LOG = Logger.getLogger(Telemetry.class);

    @Produces
    @Singleton
    OpenTelemetry openTelemetry(@ConfigProperty(name = "sample.metrics.port", defaultValue = "9464") int port,
                                @ConfigProperty(name = "sample.metrics.host", defaultValue = "0.0.0.0") String host) {
        Optional<PrometheusHttpServer> server;
        try {
            server = Optional.of(PrometheusHttpServer.builder().setHost(host).setPort(port).build());
        } catch (RuntimeException e) {
            // a port in use: the service runs on, without its metrics endpoint
            LOG.warnf("metrics endpoint not started on %s:%d: %s", host, port, e);
            server = Optional.empty();
        }
        io.opentelemetry.sdk.metrics.SdkMeterProviderBuilder meters = SdkMeterProvider.builder();
        server.ifPresent(meters::registerMetricReader);
        if (server.isPresent()) {
            LOG.infof("metrics (Prometheus text format) at http://%s:%s/metrics", host, port == 0 ? "<a free port>" : port);
        }
        return OpenTelemetrySdk.builder().setMeterProvider(meters.build()).build();
    }

    void close(@Disposes OpenTelemetry openTelemetry) {
        if (openTelemetry instanceof OpenTelemetrySdk sdk) {
            sdk.close();
        }
    }
}
