package dev.breaker.bench;

import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes {@code n} distinct {@code @Worker} classes for {@link CdiBootBenchmark}: Java sources
 * compiled in memory with the JDK's compiler and defined by a class loader of their own (no
 * generated files in the repository, no bytecode library). Worker {@code i} injects worker
 * {@code i - 1} unless {@code i} is a multiple of ten.
 */
final class GeneratedWorkers {
    static final String PACKAGE = "dev.breaker.bench.generated";

    private GeneratedWorkers() {
    }

    static String source(int i) {
        String injected = i % 10 == 0 ? ""
                : "    @jakarta.inject.Inject W" + (i - 1) + " previous;\n";
        return "package " + PACKAGE + ";\n"
                + "@dev.breaker.cdi.Worker\n"
                + "public class W" + i + " {\n"
                + injected
                + "    public int id() { return " + i + "; }\n"
                + "}\n";
    }

    static Class<?>[] compile(int n) throws ClassNotFoundException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("CdiBootBenchmark needs a JDK (javax.tools compiler), not a JRE");
        }
        List<JavaFileObject> sources = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = "W" + i;
            String code = source(i);
            sources.add(new SimpleJavaFileObject(URI.create("string:///" + PACKAGE.replace('.', '/') + "/" + name + ".java"),
                    JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return code;
                }
            });
        }
        Map<String, ByteArrayOutputStream> bytes = new HashMap<>();
        StandardJavaFileManager standard = javac.getStandardFileManager(null, null, null);
        JavaFileManager memory = new ForwardingJavaFileManager<>(standard) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                    FileObject sibling) {
                return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + kind.extension), kind) {
                    @Override
                    public OutputStream openOutputStream() {
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        bytes.put(className, out);
                        return out;
                    }
                };
            }
        };
        StringWriter errors = new StringWriter();
        List<String> options = List.of("-classpath", System.getProperty("java.class.path"), "-proc:none",
                "--release", "17");
        if (!javac.getTask(errors, memory, null, options, null, sources).call()) {
            throw new IllegalStateException("could not compile the generated workers:\n" + errors);
        }
        ClassLoader loader = new MemoryLoader(GeneratedWorkers.class.getClassLoader(), bytes);
        Class<?>[] classes = new Class<?>[n];
        for (int i = 0; i < n; i++) {
            classes[i] = loader.loadClass(PACKAGE + ".W" + i);
        }
        return classes;
    }

    /**
     * Defines the compiled workers. Parallel capable, like the class loaders of real applications
     * (the JDK's application loader, Quarkus' and the servers'): without that, every thread that
     * starts a worker (and every Weld proxy defined next to it) queues on one loader-wide lock.
     */
    private static final class MemoryLoader extends ClassLoader {
        static {
            registerAsParallelCapable();
        }

        private final Map<String, ByteArrayOutputStream> bytes;

        MemoryLoader(ClassLoader parent, Map<String, ByteArrayOutputStream> bytes) {
            super(parent);
            this.bytes = bytes;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            ByteArrayOutputStream out = bytes.get(name);
            if (out == null) {
                throw new ClassNotFoundException(name);
            }
            byte[] b = out.toByteArray();
            return defineClass(name, b, 0, b.length);
        }
    }
}
