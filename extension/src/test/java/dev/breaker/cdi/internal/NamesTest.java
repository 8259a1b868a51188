package dev.breaker.cdi.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NamesTest {

    @ParameterizedTest
    @CsvSource({"com.x.OrderStore,order-store", "com.x.HTTPServer,http-server", "com.x.Db2Store,db2-store",
            "com.x.Outer$InnerWorker,inner-worker", "Queue,queue", "com.x.MyURLParser,my-url-parser"})
    void kebabCaseFromTheSimpleName(String className, String expected) {
        assertEquals(expected, Names.workerName(className, null));
    }

    @Test
    void namedWins() {
        assertEquals("db", Names.workerName("com.x.OrderStore", "db"));
        assertEquals("order-store", Names.workerName("com.x.OrderStore", ""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"request", "a", "0", "slow-db-2"})
    void validBreakerNames(String name) {
        assertTrue(Names.isValidBreakerName(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Request", "-a", "a.b", "a_b", "", "default", "worker", "shutdown"})
    void invalidBreakerNames(String name) {
        assertFalse(Names.isValidBreakerName(name));
    }
}
