package dev.breaker.cdi.internal;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.RequestScoped;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.Supplier;

/**
 * The breakers that injected {@link dev.breaker.Breaker}s made during one request: one per
 * injection, made at its first use in the request and closed when the request context ends.
 * A library bean (see {@link LibraryBeans}); only {@link InjectedBreaker} uses it.
 *
 * <p>Thread-safe: a request may be served by several threads at once (asynchronous resources,
 * propagated contexts). The first breaker of a request is published with a compare-and-set,
 * so the usual request (one injected breaker) takes no lock; others live in a map under this
 * object's lock. {@link #end()} sets {@code ended} and then reads {@code first}, and a publisher
 * stores {@code first} and then reads {@code ended} (both volatile), so each first breaker is
 * closed by one of them, or by both (closing is idempotent). Once the request has ended, a use from a
 * thread that still sees the context gets a breaker that is already closed.
 *
 * <p><b>Budget.</b> {@link #limit} gives the request a caller's budget (the inbound
 * {@code Breaker-Budget} header): every breaker made in the request after that trips at the
 * earlier of its own limits and the budget, with a {@link BreakReason.Kind#BUDGET} reason. A
 * budget only shortens: a second one applies only if it ends earlier.
 */
@RequestScoped
public class RequestBreakers {
    private static final AtomicReferenceFieldUpdater<RequestBreakers, Slot> FIRST =
            AtomicReferenceFieldUpdater.newUpdater(RequestBreakers.class, Slot.class, "first");

    private static final java.util.concurrent.atomic.AtomicReference<Supplier<RequestBreakers>> LOOKUP =
            new java.util.concurrent.atomic.AtomicReference<>(); // installed at start by WorkerLifecycle

    /**
     * The active request's breakers, found without CDI injection (for the JAX-RS filters, which
     * may be created by the REST runtime, not by CDI); null outside a request or before the
     * application has started.
     */
    public static RequestBreakers current() {
        Supplier<RequestBreakers> l = LOOKUP.get();
        return l == null ? null : l.get();
    }

    /**
     * Installs the lookup of {@link #current()}, the first application's only (as
     * {@code CurrentBreaker}'s fallback); the returned runnable removes it, or is null if another
     * one is installed.
     */
    static Runnable installLookup(Supplier<RequestBreakers> l) {
        if (!LOOKUP.compareAndSet(null, l)) {
            return null;
        }
        return () -> LOOKUP.compareAndSet(l, null);
    }

    /** The owner of the request's own breaker: what an unqualified {@code @Inject Breaker} and {@code CurrentBreaker} get. */
    static final Object DEFAULT = new Object();

    private volatile Slot first;
    private volatile boolean ended;    // written under this
    private Map<Object, Breaker> more; // guarded by this
    private volatile long budgetDeadline; // System.nanoTime() at which the budget ends; valid if budget != null
    private volatile BreakReason budget;  // null: no budget

    /**
     * Applies a caller's budget to the breakers made in this request from now on (see the class
     * comment). Thread-safe.
     *
     * @param left how long the caller still waits, as received
     * @param from where it came from, for the reason (such as {@code "header Breaker-Budget"})
     */
    public void limit(Duration left, String from) {
        long deadline = System.nanoTime() + Math.min(left.toNanos(), dev.breaker.internal.Durations.MAX_NANOS);
        synchronized (this) {
            if (budget == null || deadline - budgetDeadline < 0) {
                budgetDeadline = deadline;
                budget = BreakReason.budget(left, from);
            }
        }
    }

    /** The breaker {@code make} gives, under the request's budget if it has one (one breaker either way). */
    private Breaker made(BreakerMaker make) {
        BreakReason b = budget;
        if (b == null) {
            return make.get();
        }
        return make.under(Duration.ofNanos(Math.max(0, budgetDeadline - System.nanoTime())), b);
    }

    /** The breaker of {@code owner} in this request, made by {@code make} at the first call. */
    public Breaker breaker(Object owner, BreakerMaker make) {
        Slot s = first;
        if (s != null) {
            if (s.owner == owner) {
                return s.breaker;
            }
        } else if (!ended) {
            // the usual request: its first breaker is published without a lock
            Breaker made = made(make);
            if (FIRST.compareAndSet(this, null, new Slot(owner, made))) {
                if (ended) {
                    made.close(); // end() may have read first before this store: close it here (idempotent)
                }
                return made;
            }
            made.close(); // another thread published first; look again below
        }
        Breaker made;
        synchronized (this) {
            s = first;
            if (s != null && s.owner == owner) {
                return s.breaker;
            }
            // here first is set (a failed compare-and-set) or the request has ended: first is never unset
            Breaker existing = more == null ? null : more.get(owner);
            if (existing != null) {
                return existing;
            }
            if (ended) {
                made = Breaker.manual();
            } else {
                made = made(make);
                if (more == null) {
                    more = new IdentityHashMap<>(4);
                }
                more.put(owner, made);
                return made;
            }
        }
        made.close(); // outside the lock: the request is over
        return made;
    }

    /** Closes every breaker of this request (their timer entries are freed). */
    @PreDestroy
    public void end() {
        List<Breaker> all = new ArrayList<>();
        synchronized (this) {
            ended = true;
            Slot s = first;
            if (s != null) {
                all.add(s.breaker);
            }
            if (more != null) {
                all.addAll(more.values());
                more = null;
            }

        }
        for (Breaker b : all) {
            b.close();
        }
    }

    private record Slot(Object owner, Breaker breaker) {
    }
}
