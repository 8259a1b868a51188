package dev.breaker.bench;

import org.springframework.context.SmartLifecycle;
import org.springframework.context.support.DefaultLifecycleProcessor;
import org.springframework.context.support.GenericApplicationContext;

import java.util.concurrent.ExecutorService;

/**
 * The real Spring alternative: a {@link GenericApplicationContext} whose beans are
 * {@link SmartLifecycle}s, one per worker, in the phases of {@link GraphShape#stopPhases()}
 * (Spring stops the highest phase first). Each bean stops asynchronously
 * ({@code stop(Runnable)} on a pool thread, then the callback), which is how a Spring user gets
 * parallel stops within a phase; Spring's own {@link DefaultLifecycleProcessor} waits for each
 * phase before the next.
 */
final class SpringLifecycle {
    private SpringLifecycle() {
    }

    /**
     * @param pool the pool the beans stop on ({@code stop(Runnable)} asynchronous), or null for
     *             Spring's default {@code stop(Runnable)}, which stops on the closing thread
     */
    static GenericApplicationContext started(GraphShape shape, long[] stopNanos, int[] phases, ExecutorService pool) {
        GenericApplicationContext context = new GenericApplicationContext();
        DefaultLifecycleProcessor processor = new DefaultLifecycleProcessor();
        processor.setTimeoutPerShutdownPhase(60_000);
        context.registerBean("lifecycleProcessor", DefaultLifecycleProcessor.class, () -> processor);
        for (int i = 0; i < shape.size(); i++) {
            SyncBean bean = pool == null ? new SyncBean(stopNanos[i], -phases[i]) : new Bean(stopNanos[i], -phases[i], pool);
            context.registerBean("w" + i, SyncBean.class, () -> bean);
        }
        context.refresh();
        return context;
    }

    /**
     * One worker as a Spring bean that keeps {@link SmartLifecycle}'s default
     * {@code stop(Runnable)}: {@code stop()}, then the callback, on the thread that closes the
     * context, so the beans of a phase stop one after the other.
     */
    static class SyncBean implements SmartLifecycle {
        private final long stopNanos;
        private final int phase;
        private volatile boolean running;

        SyncBean(long stopNanos, int phase) {
            this.stopNanos = stopNanos;
            this.phase = phase;
        }

        @Override
        public void start() {
            running = true;
        }

        @Override
        public void stop() {
            Stops.sleep(stopNanos);
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public int getPhase() {
            return phase;
        }
    }

    /** One worker as a Spring bean that stops asynchronously, on {@code pool}, then calls back. */
    static final class Bean extends SyncBean {
        private final ExecutorService pool;

        Bean(long stopNanos, int phase, ExecutorService pool) {
            super(stopNanos, phase);
            this.pool = pool;
        }

        @Override
        public void stop(Runnable callback) {
            pool.execute(() -> {
                try {
                    stop();
                } finally {
                    callback.run();
                }
            });
        }
    }
}
