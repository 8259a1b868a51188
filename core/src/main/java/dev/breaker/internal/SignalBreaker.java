package dev.breaker.internal;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Trips on any of its OS signals; releases its place in each shared {@link Signals} hub.
 * Thread safety as {@link AbstractBreaker}; the signal names are immutable.
 */
final class SignalBreaker extends AbstractBreaker {
    private final String[] names;

    private SignalBreaker(String[] names) {
        this.names = names;
    }

    static SignalBreaker of(String... names) {
        if (names == null || names.length == 0) {
            throw new IllegalArgumentException("bySignal needs at least one signal name, such as \"TERM\"");
        }
        Set<String> unique = new LinkedHashSet<>();
        for (String n : names) {
            unique.add(Signals.normalize(n));
        }
        SignalBreaker b = new SignalBreaker(unique.toArray(new String[0]));
        int added = 0;
        try {
            for (String n : b.names) {
                Signals.add(n, b);
                added++;
            }
        } catch (RuntimeException | Error e) {
            for (int i = 0; i < added; i++) {
                Signals.remove(b.names[i], b);
            }
            throw e;
        }
        return b;
    }

    @Override
    protected void release() {
        for (String n : names) {
            Signals.remove(n, this);
        }
    }

    @Override
    public String toString() {
        return super.toString() + Arrays.toString(names);
    }
}
