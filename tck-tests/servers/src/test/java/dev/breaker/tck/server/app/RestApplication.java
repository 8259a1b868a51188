package dev.breaker.tck.server.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/**
 * The JAX-RS application, under {@code /api}. A CDI bean so that Helidon, which finds JAX-RS
 * applications among discovered beans (the archive is {@code annotated}), sees it.
 */
@ApplicationScoped
@ApplicationPath("api")
public class RestApplication extends Application {
}
