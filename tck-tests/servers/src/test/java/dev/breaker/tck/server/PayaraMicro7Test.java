package dev.breaker.tck.server;

import java.nio.file.Path;

/** Payara Micro 7 (Jakarta EE 11), which needs JDK 21+: run on {@code server.jdk21.home}. */
class PayaraMicro7Test extends PayaraMicroChecks {
    @Override
    String id() {
        return "payara7";
    }

    @Override
    Path java() {
        return Path.of(System.getProperty("server.jdk21.home", "/nonexistent"), "bin", "java");
    }
}
