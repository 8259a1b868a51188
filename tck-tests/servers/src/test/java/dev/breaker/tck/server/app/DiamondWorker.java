package dev.breaker.tck.server.app;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;

/** A worker of the diamond Store &lt;- Left, Right &lt;- Front: prints its start and its stop. */
abstract class DiamondWorker {
    @PostConstruct
    void start() {
        Step.print("start", this);
    }

    @PreDestroy
    void stop() {
        Step.print("stop", this);
    }
}
