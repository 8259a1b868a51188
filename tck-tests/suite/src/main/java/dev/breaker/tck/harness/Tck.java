package dev.breaker.tck.harness;

import dev.breaker.tck.spi.App;
import dev.breaker.tck.spi.TckContainer;
import org.junit.jupiter.api.Assumptions;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * The suite's entry point: deploys a set of bean classes with a configuration map on the
 * container of the current runner, and cleans up after each test. One deployment per test at a
 * time; tests run one after another (not thread-safe across tests, by design).
 */
public final class Tck {
    private static TckContainer container;
    private static App current;

    private Tck() {
    }

    /** The runner's container (one {@link TckContainer} service on the class path). */
    public static synchronized TckContainer container() {
        if (container == null) {
            ClassLoader cl = Thread.currentThread().getContextClassLoader();
            Iterator<TckContainer> it = ServiceLoader.load(TckContainer.class, cl).iterator();
            if (!it.hasNext()) {
                throw new IllegalStateException("no dev.breaker.tck.spi.TckContainer service: this module is not a runner");
            }
            container = it.next();
        }
        return container;
    }

    /** Starts a deployment of {@code beans} with no configuration. */
    public static App deploy(Class<?>... beans) {
        return deploy(Map.of(), beans);
    }

    /**
     * Starts a deployment; configuration entries apply to it only. A test that passes
     * configuration is skipped (with the reason) when no MicroProfile Config implementation is
     * on the class path.
     *
     * @throws DeploymentFailed if the container refused the deployment or a worker failed to start
     */
    public static App deploy(Map<String, String> config, Class<?>... beans) {
        cleanup();
        Recorder.reset();
        installConfig(config);
        Set<Class<?>> classes = new LinkedHashSet<>(List.of(beans));
        try {
            current = container().start(classes);
            return current;
        } catch (Throwable t) {
            if (t instanceof org.opentest4j.TestAbortedException abort) {
                throw abort;
            }
            throw new DeploymentFailed(t);
        }
    }

    /** Deploys and expects failure, returning it; fails the test if the deployment started. */
    public static DeploymentFailed deployFailing(Map<String, String> config, Class<?>... beans) {
        try {
            deploy(config, beans);
        } catch (DeploymentFailed expected) {
            return expected;
        }
        throw new AssertionError("deployment of " + List.of(beans) + " started; expected it to fail");
    }

    public static DeploymentFailed deployFailing(Class<?>... beans) {
        return deployFailing(Map.of(), beans);
    }

    /** A configuration map from alternating keys and values. */
    public static Map<String, String> config(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** Whether a MicroProfile Config implementation is on the class path. */
    public static boolean hasConfig() {
        return MpConfigPresence.PRESENT;
    }

    /** Shuts down the current deployment if a test left it running; removes its configuration. */
    public static void cleanup() {
        List<Throwable> errors = new ArrayList<>();
        if (current != null) {
            try {
                current.shutdown();
            } catch (Throwable t) {
                errors.add(t);
            }
            current = null;
        }
        if (hasConfig()) {
            MpConfig.uninstall();
        }
        Recorder.releaseAll();
        if (!errors.isEmpty()) {
            throw new IllegalStateException("cleanup failed", errors.get(0));
        }
    }

    private static void installConfig(Map<String, String> config) {
        if (!hasConfig()) {
            Assumptions.assumeTrue(config.isEmpty(),
                    "needs breaker.* configuration but no MicroProfile Config implementation is on the class path "
                            + "(this runner proves the defaults)");
            return;
        }
        MpConfig.install(config);
    }

    /**
     * Runs {@code call} on a new thread and returns what it returned, or throws what it threw. For
     * code that must run outside any request: OpenWebBeans SE keeps the request context it
     * started at boot active on the boot thread until it shuts down.
     */
    public static <T> T onOtherThread(java.util.concurrent.Callable<T> call) throws Exception {
        java.util.concurrent.ExecutorService one = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            return one.submit(call).get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Exception x) {
                throw x;
            }
            if (e.getCause() instanceof Error x) {
                throw x;
            }
            throw e;
        } finally {
            one.shutdownNow();
        }
    }

    /**
     * Runs {@code call} as one request of {@code app} ({@link Requests}, which the deployment
     * must include), on a new thread (see {@link #onOtherThread}), as a server runs a request.
     */
    public static <T> T inRequest(App app, java.util.concurrent.Callable<T> call) throws Exception {
        Requests requests = app.select(Requests.class).get();
        return onOtherThread(() -> requests.run(call));
    }

    private static final class MpConfigPresence {
        static final boolean PRESENT = detect();

        private static boolean detect() {
            ClassLoader cl = Thread.currentThread().getContextClassLoader();
            try {
                Class<?> resolver = Class.forName("org.eclipse.microprofile.config.spi.ConfigProviderResolver", false, cl);
                return ServiceLoader.load(resolver, cl).findFirst().isPresent();
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
        }
    }
}
