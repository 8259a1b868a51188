package dev.breaker.tck.server.app;

import dev.breaker.cdi.DependsOn;
import dev.breaker.cdi.Worker;

/** A worker of the diamond Store &lt;- Left, Right &lt;- Front. */
@Worker
@DependsOn({Left.class, Right.class})
public class Front extends DiamondWorker {
}
