package dev.breaker.cdi.internal;

import dev.breaker.worker.Policy;

import java.time.Duration;
import java.util.Optional;

/**
 * One worker's configuration ({@code breaker.worker.<name>.*}); empty values leave the worker
 * graph's defaults. Immutable.
 */
public record WorkerSettings(boolean enabled, Optional<Duration> startTimeout, Duration stopTimeout,
                             Optional<Policy> onError, Optional<Policy> onReturn,
                             Optional<Integer> maxRestarts, Optional<Duration> restartWindow) {
}
