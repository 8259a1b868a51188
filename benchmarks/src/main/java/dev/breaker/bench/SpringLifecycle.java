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
            if (pool == null) {
                SyncBean bean = new SyncBean(stopNanos[i], -phases[i]);
                context.registerBean("w" + i, SyncBean.class, () -> bean);
            } else {
                Bean bean = new Bean(stopNanos[i], -phases[i], pool);
                context.registerBean("w" + i, Bean.class, () -> bean);
            }
        }
        context.refresh();
        return context;
    }

    /**
     * One worker as a Spring bean that keeps {@link SmartLifecycle}'s default
     * {@code stop(Runnable)}: {@code stop()}, then the callback, on the thread that closes the
     * context, so the beans of a phase stop one after the other.
     */
    static final class SyncBean implements SmartLifecycle {
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

    /** One worker as a Spring bean. */
    static final class Bean implements SmartLifecycle {
        private final long stopNanos;
        private final int phase;
        private final ExecutorService pool;
        private volatile boolean running;

        Bean(long stopNanos, int phase, ExecutorService pool) {
            this.stopNanos = stopNanos;
            this.phase = phase;
            this.pool = pool;
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
        public void stop(Runnable callback) {
            pool.execute(() -> {
                try {
                    stop();
                } finally {
                    callback.run();
                }
            });
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
}
