package dev.breaker.internal;

/**
 * Marks an action of the library's own (a multiplex's link to a child, a child's link to its
 * parent, the interrupt bridge, a waiter's unpark): short, non-blocking, and trusted. The timer
 * and signal threads run these themselves; every other action is handed to {@link Callbacks}.
 */
interface InternalAction extends Runnable {
}
