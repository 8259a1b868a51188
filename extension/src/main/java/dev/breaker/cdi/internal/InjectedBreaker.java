package dev.breaker.cdi.internal;

import dev.breaker.BreakReason;
import dev.breaker.Breaker;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * What a bean gets for {@code @Inject Breaker} or {@code @Inject @BreakerConfig("name") Breaker}
 * (a field, a constructor or an initializer parameter): a handle that bounds the request in
 * which it is used, whatever the scope of the bean that holds it.
 * <ul>
 *   <li><b>During a request</b> (an active CDI request context: a JAX-RS or servlet request, an
 *       {@code @ActivateRequestContext} method, a {@code RequestContextController} activation), every call goes to
 *       this injection's breaker for the current request, made at the first use in that request
 *       (its clock starts then) and closed when the request ends. Every unqualified
 *       {@code @Inject Breaker} of one request shares one breaker, the request's own, which is
 *       also what {@link dev.breaker.CurrentBreaker#get()} finds in it; each
 *       {@code @BreakerConfig} injection has its own.</li>
 *   <li><b>Outside a request</b>, in a {@code @Dependent}, {@code @RequestScoped} or
 *       {@code @Worker} bean: the injection's own breaker, made at its first use outside a
 *       request and closed when the holder is destroyed.</li>
 *   <li><b>Outside a request</b>, in any other bean (application scoped, singleton), the same
 *       for a breaker without a timeout (it trips at shutdown or at its deadline); a breaker
 *       with a timeout would trip once and stay broken for every later caller, so every call
 *       fails with {@code BRKR018} naming the injection point and the fix.</li>
 * </ul>
 * {@link #close()} closes the breaker the handle stands for at that moment: the current
 * request's, or its own.
 *
 * <p>Thread-safe: the handle itself holds only its own breaker (made once, under its lock).
 */
final class InjectedBreaker implements Breaker, dev.breaker.internal.BreakerHandle {
    private final BreakerMaker make;
    private final RequestContextProbe probe;
    private final Supplier<String> refusal;  // null: the own breaker is allowed outside a request
    private final Object key;                // this injection's breaker in a request: its own, or the request's
    private volatile Breaker own;
    private volatile boolean disposed;

    /**
     * @param shared whether this injection uses the request's own breaker (an unqualified
     *               {@code @Inject Breaker}: the one {@code CurrentBreaker} finds), or one of its own
     */
    InjectedBreaker(BreakerMaker make, RequestContextProbe probe, Supplier<String> refusal, boolean shared) {
        this.key = shared ? RequestBreakers.DEFAULT : this;
        this.make = make;
        this.probe = probe;
        this.refusal = refusal;
    }

    /** What this handle stands for on the calling thread (the library's utilities resolve it once). */
    @Override
    public Breaker target() {
        return current();
    }

    private Breaker current() {
        RequestBreakers request = disposed ? null : probe.current();
        if (request != null) {
            return request.breaker(key, make);
        }
        Breaker b = own;
        if (b != null) {
            return b;
        }
        if (refusal != null && !disposed) {
            throw new IllegalStateException(refusal.get());
        }
        synchronized (this) {
            if (own == null) {
                own = make.get();
            }
            return own;
        }
    }

    /**
     * The disposer (the holder is destroyed): closes the own breaker, or stands for a closed one
     * if none was made; request breakers end with their request.
     */
    void dispose() {
        Breaker b;
        synchronized (this) {
            disposed = true;
            b = own;
            if (b == null) {
                own = b = Breaker.manual();
            }
        }
        b.close();
    }

    @Override
    public boolean isBroken() {
        return current().isBroken();
    }

    @Override
    public Optional<BreakReason> reason() {
        return current().reason();
    }

    @Override
    public Optional<Duration> remaining() {
        return current().remaining();
    }

    @Override
    public void throwIfBroken() {
        current().throwIfBroken();
    }

    @Override
    public CompletionStage<BreakReason> done() {
        return current().done();
    }

    @Override
    public boolean await(Duration timeout) throws InterruptedException {
        return current().await(timeout);
    }

    @Override
    public void await() throws InterruptedException {
        current().await();
    }

    @Override
    public Registration onBreak(Runnable action) {
        return current().onBreak(action);
    }

    @Override
    public <T> T call(Callable<T> task) throws Exception {
        return current().call(task);
    }

    @Override
    public <T> CompletableFuture<T> submit(Callable<T> task, Executor executor) {
        return current().submit(task, executor);
    }

    @Override
    public Breaker withTimeout(Duration timeout) {
        return current().withTimeout(timeout);
    }

    @Override
    public void close() {
        RequestBreakers request = disposed ? null : probe.current();
        if (request != null) {
            request.breaker(key, make).close();
        } else {
            dispose();
        }
    }

    @Override
    public String toString() {
        RequestBreakers request = disposed ? null : probe.current();
        Breaker b = request != null ? request.breaker(key, make) : own;
        return "InjectedBreaker[" + (b == null ? "not used yet" : b) + "]";
    }
}
