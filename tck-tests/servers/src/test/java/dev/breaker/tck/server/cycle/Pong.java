package dev.breaker.tck.server.cycle;

import dev.breaker.cdi.DependsOn;
import dev.breaker.cdi.Worker;

/** Half of a dependency cycle: this application must fail to deploy with BRKR001. */
@Worker
@DependsOn(Ping.class)
public class Pong {
}
