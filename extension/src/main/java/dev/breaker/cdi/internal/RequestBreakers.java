package dev.breaker.cdi.internal;

import dev.breaker.Breaker;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.RequestScoped;

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
 */
@RequestScoped
public class RequestBreakers {
    private static final AtomicReferenceFieldUpdater<RequestBreakers, Slot> FIRST =
            AtomicReferenceFieldUpdater.newUpdater(RequestBreakers.class, Slot.class, "first");

    private volatile Slot first;
    private volatile boolean ended;    // written under this
    private Map<Object, Breaker> more; // guarded by this

    /** The breaker of {@code owner} in this request, made by {@code make} at the first call. */
    public Breaker breaker(Object owner, Supplier<Breaker> make) {
        Slot s = first;
        if (s != null) {
            if (s.owner == owner) {
                return s.breaker;
            }
        } else if (!ended) {
            // the usual request: its first breaker is published without a lock
            Breaker made = make.get();
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
                made = make.get();
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
