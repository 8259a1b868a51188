package dev.breaker.bench;

import dev.breaker.cdi.BreakerExtension;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

import java.util.concurrent.TimeUnit;

/**
 * Weld SE boot ({@code initialize()}, discovery disabled, bean classes added explicitly) of an
 * application of {@code workers} {@code @Worker} classes ({@link GeneratedWorkers}: every class
 * but each tenth injects the previous one, so they form chains of ten):
 * <ul>
 *   <li>{@code none}: without the Breaker extension (the beans exist but nothing creates them);</li>
 *   <li>{@code byHand}: without the extension, then the application creates every bean itself
 *       (what it would do to start them eagerly without us, in no particular order);</li>
 *   <li>{@code extension}: with {@code BreakerExtension}, which validates the graph and starts
 *       every worker, dependencies first, in parallel where it can.</li>
 * </ul>
 * One boot per iteration (single shot); the container is shut down after each, outside the
 * measurement. The classes are compiled once per trial, in memory, with the JDK's compiler.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class CdiBootBenchmark {
    @Param({"1000"})
    int workers;

    @Param({"none", "byHand", "extension"})
    String mode;

    /** Level of the library's loggers: {@code info} (the default: a line per worker start) or {@code warning}. */
    @Param({"info", "warning"})
    String logs;

    private static final java.util.logging.Logger LIBRARY_LOGGER = java.util.logging.Logger.getLogger("dev.breaker");

    Class<?>[] classes;
    WeldContainer container;

    @Setup(Level.Trial)
    public void compile() throws Exception {
        classes = GeneratedWorkers.compile(workers);
        LIBRARY_LOGGER.setLevel("warning".equals(logs) ? java.util.logging.Level.WARNING : java.util.logging.Level.INFO);
    }

    @TearDown(Level.Iteration)
    public void shutdown() {
        if (container != null) {
            container.shutdown();
            container = null;
        }
        Thread.currentThread().setContextClassLoader(CdiBootBenchmark.class.getClassLoader());
    }

    @Benchmark
    public WeldContainer boot() {
        // the generated classes' loader is the application's class loader, as in a real application
        // (the extension looks worker classes up by name through it); the same for every mode
        Thread.currentThread().setContextClassLoader(classes[0].getClassLoader());
        Weld weld = new Weld("bench-" + System.nanoTime()).disableDiscovery().addBeanClasses(classes);
        if ("extension".equals(mode)) {
            weld.addExtensions(new BreakerExtension());
        }
        container = weld.initialize();
        if ("byHand".equals(mode)) {
            for (Class<?> c : classes) {
                container.select(c).get().toString(); // a client proxy: toString() creates the instance
            }
        }
        return container;
    }
}
