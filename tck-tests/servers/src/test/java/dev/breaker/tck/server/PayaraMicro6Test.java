package dev.breaker.tck.server;

import java.nio.file.Path;

/** Payara Micro 6 (Jakarta EE 10), on the build's own JDK (17+). */
class PayaraMicro6Test extends PayaraMicroChecks {
    @Override
    String id() {
        return "payara6";
    }

    @Override
    Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }
}
