package dev.breaker.tck.server.app;

import dev.breaker.cdi.DependsOn;
import dev.breaker.cdi.Worker;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;

/** A worker of the diamond Store &lt;- Left, Right &lt;- Front. */
@Worker
@DependsOn(Store.class)
public class Right {
    @PostConstruct
    void start() {
        Step.print("start", this);
    }

    @PreDestroy
    void stop() {
        Step.print("stop", this);
    }
}
