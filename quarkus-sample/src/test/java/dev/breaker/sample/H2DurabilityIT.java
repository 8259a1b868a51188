package dev.breaker.sample;

import java.nio.file.Path;

/** The durability contract on the shipped default: embedded H2 in a file. */
class H2DurabilityIT extends DurabilityContract {
    @Override
    TestDatabase newDatabase(Path dir) {
        return TestDatabase.h2(dir);
    }
}
