package dev.breaker.internal;

import dev.breaker.BreakReason;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * The Flight Recorder event {@code dev.breaker.BreakerTripped}: a breaker tripped (or was
 * closed, kind {@code CLOSED}), with its life time as the event's duration (from its creation to
 * its trip). Its default threshold of 20 ms, as the JDK's own {@code jdk.ThreadPark}, keeps the
 * request breakers that live a few milliseconds out of a recording; set it to 0 to see every
 * trip.
 *
 * <p>Cost: with no recording (or this event disabled), creating a breaker checks one flag and
 * allocates nothing more; with it enabled, each breaker carries this event from its creation
 * (one allocation, two clock reads) and a trip under the threshold writes nothing. Used only
 * when {@link Jfr#AVAILABLE}. An instance is confined to its breaker: begun by the creating
 * thread, ended and committed by the one thread whose compare-and-set tripped it (which
 * happens-after the creation).
 */
@Name("dev.breaker.BreakerTripped")
@Label("Breaker Tripped")
@Category("Breaker")
@Description("A breaker tripped or was closed; the duration is its life time, from its creation to its trip")
@Threshold("20 ms")
@Enabled(false) // off in the JDK's default and profile settings: a breaker made while it is on pays for its life time
@StackTrace(false)
final class BreakerTrippedEvent extends Event {
    @Label("Kind")
    @Description("The kind of reason: TIMEOUT, DEADLINE, SIGNAL, FUTURE, CLOSED, SHUTDOWN, CHILD, PARENT, BUDGET")
    String kind;

    @Label("Reason")
    @Description("The reason's detail, with the reason it came from for CHILD and PARENT")
    String reason;

    @Label("Breaker")
    @Description("What made the breaker: timed (byTimeout, byDeadline, withTimeout), manual, multiplex, signal, future")
    String breaker;

    /** At a breaker's creation: an event begun now if the event is enabled, else null. */
    static Object atCreation() {
        BreakerTrippedEvent e = new BreakerTrippedEvent();
        if (!e.isEnabled()) {
            return null;
        }
        e.begin();
        return e;
    }

    /** At the trip of {@code b}, which carries {@code event} from {@link #atCreation()}. */
    static void tripped(Object event, AbstractBreaker b, BreakReason why) {
        BreakerTrippedEvent e = (BreakerTrippedEvent) event;
        e.end();
        if (e.shouldCommit()) {
            e.kind = why.kind().name();
            e.reason = why.toString();
            e.breaker = label(b.getClass());
            e.commit();
        }
    }

    private static String label(Class<?> c) {
        String s = c.getSimpleName();
        if (s.endsWith("Breaker") && s.length() > "Breaker".length()) {
            s = s.substring(0, s.length() - "Breaker".length());
        }
        return s.isEmpty() ? c.getName() : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
