package dev.breaker.tck.server.app;

import dev.breaker.cdi.DependsOn;
import dev.breaker.cdi.Worker;

/** A worker of the diamond Store &lt;- Left, Right &lt;- Front. */
@Worker
@DependsOn(Store.class)
public class Right extends DiamondWorker {
}
