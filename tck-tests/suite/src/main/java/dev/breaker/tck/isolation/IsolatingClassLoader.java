package dev.breaker.tck.isolation;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A child-first class loader for one test: it defines the suite's and the library's own classes
 * ({@code dev.breaker.*}, except this package) again from the parent's bytes, plus any
 * generated classes and resources added to it, and delegates everything else (JDK, JUnit, CDI
 * API, container runtimes, MicroProfile Config) to the parent. Used for containers that generate
 * classes into the beans' packages at build time (ArC), so every deployment gets fresh ones and
 * build-time state of an extension cannot leak into run time.
 *
 * <p>Thread-safe (parallel capable; generated maps are concurrent).
 */
public final class IsolatingClassLoader extends ClassLoader {
    static {
        registerAsParallelCapable();
    }

    private static final String OWN = "dev.breaker.";
    private static final String SHARED = "dev.breaker.tck.isolation.";
    private final Map<String, byte[]> generatedClasses = new ConcurrentHashMap<>();
    private final Map<String, byte[]> generatedResources = new ConcurrentHashMap<>();
    private final String label;

    public IsolatingClassLoader(String label, ClassLoader parent) {
        super(label, parent);
        this.label = label;
    }

    /** Adds a class the container generated; it is defined when first loaded. */
    public void addGeneratedClass(String binaryName, byte[] bytes) {
        generatedClasses.put(binaryName, bytes);
    }

    /** Adds (or appends to, for service files) a resource the container generated. */
    public void addGeneratedResource(String name, byte[] bytes) {
        generatedResources.merge(name, bytes, (a, b) -> {
            byte[] joined = new byte[a.length + 1 + b.length];
            System.arraycopy(a, 0, joined, 0, a.length);
            joined[a.length] = '\n';
            System.arraycopy(b, 0, joined, a.length + 1, b.length);
            return joined;
        });
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                byte[] generated = generatedClasses.get(name);
                if (generated != null) {
                    c = defineClass(name, generated, 0, generated.length);
                } else if (name.startsWith(OWN) && !name.startsWith(SHARED)) {
                    c = defineOwn(name);
                }
            }
            if (c == null) {
                return super.loadClass(name, resolve);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    private Class<?> defineOwn(String name) throws ClassNotFoundException {
        try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
            if (in == null) {
                return null;
            }
            byte[] bytes = in.readAllBytes();
            return defineClass(name, bytes, 0, bytes.length);
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
    }

    @Override
    public URL getResource(String name) {
        URL generated = generatedUrl(name);
        return generated != null ? generated : super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        List<URL> all = new ArrayList<>();
        URL generated = generatedUrl(name);
        if (generated != null) {
            all.add(generated);
        }
        all.addAll(Collections.list(super.getResources(name)));
        return Collections.enumeration(all);
    }

    private URL generatedUrl(String name) {
        byte[] bytes = generatedResources.get(name);
        if (bytes == null) {
            String cls = name.endsWith(".class") ? name.substring(0, name.length() - 6).replace('/', '.') : null;
            bytes = cls == null ? null : generatedClasses.get(cls);
        }
        if (bytes == null) {
            return null;
        }
        byte[] content = bytes;
        try {
            return new URL("tck-generated", null, -1, "/" + label + "/" + name, new URLStreamHandler() {
                @Override
                protected URLConnection openConnection(URL u) {
                    return new URLConnection(u) {
                        @Override
                        public void connect() {
                        }

                        @Override
                        public InputStream getInputStream() {
                            return new ByteArrayInputStream(content);
                        }
                    };
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "IsolatingClassLoader[" + label + "]";
    }
}
