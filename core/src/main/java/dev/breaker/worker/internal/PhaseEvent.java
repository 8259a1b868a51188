package dev.breaker.worker.internal;

/** What the tasks and timers of a phase tell the thread that drives it. */
interface PhaseEvent {
    /** A start or stop body ended, with {@code failure} or normally (null). */
    record Done(Node node, Throwable failure) implements PhaseEvent {
    }

    /** The breaker of a start or stop tripped for a timeout. */
    record Tripped(Node node) implements PhaseEvent {
    }

    /** A body has waited too long for a thread of the bounded pool. */
    record Starved(Node node) implements PhaseEvent {
    }

    /** Shutdown began: look again. */
    PhaseEvent WAKE = new PhaseEvent() {
        @Override
        public String toString() {
            return "WAKE";
        }
    };
}
