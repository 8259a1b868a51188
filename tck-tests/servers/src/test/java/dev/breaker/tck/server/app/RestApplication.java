package dev.breaker.tck.server.app;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The JAX-RS application, under {@code /api}. */
@ApplicationPath("api")
public class RestApplication extends Application {
}
