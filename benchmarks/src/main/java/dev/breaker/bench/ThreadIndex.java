package dev.breaker.bench;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** A per-thread cursor into pre-generated values (Caffeine's pattern). */
@State(Scope.Thread)
public class ThreadIndex {
    int index;

    int next() {
        return index++ & Timeouts.MASK;
    }
}
