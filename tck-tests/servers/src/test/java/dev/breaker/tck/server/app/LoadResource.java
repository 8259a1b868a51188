package dev.breaker.tck.server.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The cheap endpoint the runner loads while the server shuts down: {@code GET load} answers {@code ok}. */
@Path("load")
@ApplicationScoped
@Produces(MediaType.TEXT_PLAIN)
public class LoadResource {
    @GET
    public String get() {
        return "ok";
    }
}
