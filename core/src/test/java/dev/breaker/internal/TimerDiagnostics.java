package dev.breaker.internal;

import java.util.Map;

/** What the timer and callback threads are doing: attached to timing failures in tests. */
public final class TimerDiagnostics {
    private TimerDiagnostics() {
    }

    public static String describe() {
        StringBuilder sb = new StringBuilder("timer: pending " + TimerWheel.pending() + ", thread "
                + TimerWheel.INSTANCE.thread() + ", callback threads " + Callbacks.INSTANCE.threads() + "\n");
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            if (e.getKey().getName().startsWith("breaker-")) {
                sb.append(e.getKey().getName()).append(' ').append(e.getKey().getState()).append('\n');
                for (StackTraceElement s : e.getValue()) {
                    sb.append("    at ").append(s).append('\n');
                }
            }
        }
        return sb.toString();
    }
}
