package dev.breaker.internal;

import dev.breaker.Breaker;

/**
 * A breaker that stands for another one chosen by the calling thread's situation: the CDI
 * extension's injected breaker, which is the current request's breaker on a thread that runs in
 * a request, and something else on any other thread. The library's utilities ({@code Http},
 * {@code Jdbc}, {@code Retry}, {@code Permits}, {@code CurrentBreaker}) {@linkplain #resolve resolve}
 * a handle once, on the calling thread, and use only what it stood for there, also from the
 * callbacks that run later on other threads.
 */
public interface BreakerHandle {
    /** The breaker this handle stands for on the calling thread. */
    Breaker target();

    /** {@code b}'s target if it is a handle, else {@code b} itself (null stays null). */
    static Breaker resolve(Breaker b) {
        if (b instanceof AbstractBreaker) {
            return b; // the library's own breakers (a class check, cheaper than an interface's)
        }
        return b instanceof BreakerHandle h ? h.target() : b;
    }
}
