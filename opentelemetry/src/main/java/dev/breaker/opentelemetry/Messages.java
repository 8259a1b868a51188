package dev.breaker.opentelemetry;

import java.time.Duration;

/**
 * Every message this module logs, each with its code ({@code BRKR040} upwards), in one place.
 * Logger {@code dev.breaker.opentelemetry}.
 */
final class Messages {
    static final System.Logger LOG = System.getLogger("dev.breaker.opentelemetry");

    private Messages() {
    }

    /** WARNING: the final flush of a shutdown did not end in time, or failed. */
    static String flushIncomplete(String what, Duration timeout) {
        return "BRKR040: Breaker: the final flush of the " + what + " did not complete within " + timeout.toMillis()
                + " ms (or the exporter failed): the last spans or metrics of the shutdown may be lost";
    }

    /** DEBUG: the OpenTelemetry instance offers no flush this module can reach. */
    static String noFlush(Object openTelemetry) {
        return "BRKR041: Breaker: " + openTelemetry.getClass().getName() + " is not an OpenTelemetry SDK visible to"
                + " this application: the shutdown's spans and metrics are left to its own export schedule";
    }

    /** WARNING: recording telemetry failed (a bug, or a broken SDK); the graph is not disturbed. */
    static String recordingFailed(String what) {
        return "BRKR042: Breaker: recording the telemetry of " + what + " failed (ignored; the workers are not affected)";
    }

    /** DEBUG: in CDI, no single {@code OpenTelemetry} bean: the CDI graph is not instrumented. */
    static String noOpenTelemetryBean(boolean ambiguous) {
        return "BRKR043: Breaker: " + (ambiguous ? "several OpenTelemetry beans" : "no OpenTelemetry bean")
                + " in the application: its worker graph and breakers are not recorded";
    }
}
