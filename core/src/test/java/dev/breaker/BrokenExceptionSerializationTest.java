package dev.breaker;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** A {@link BrokenException} keeps its reason, with its whole chain, through serialization. */
class BrokenExceptionSerializationTest {

    @Test
    void theReasonSurvivesSerialization() throws Exception {
        BreakReason reason = BreakReason.child(1, BreakReason.parent(BreakReason.timeout(Duration.ofSeconds(2))));
        BrokenException copy = roundTrip(new BrokenException(reason));
        assertEquals(BreakReason.Kind.CHILD, copy.reason().kind());
        assertEquals(1, copy.reason().childIndex());
        assertEquals(BreakReason.Kind.TIMEOUT, copy.reason().root().kind());
        assertEquals(reason.toString(), copy.reason().toString());
        assertEquals(new BrokenException(reason).getMessage(), copy.getMessage());
        assertSame(BreakReason.CLOSED, roundTrip(new BrokenException(BreakReason.CLOSED)).reason());
        BreakReason budget = BreakReason.budget(Duration.ofMillis(990), "header Breaker-Budget");
        assertEquals("budget 990 ms from header Breaker-Budget", roundTrip(new BrokenException(budget)).reason().detail());
    }

    private static BrokenException roundTrip(BrokenException e) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(e);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (BrokenException) in.readObject();
        }
    }
}
