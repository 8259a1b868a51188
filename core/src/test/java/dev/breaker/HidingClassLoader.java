package dev.breaker;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Predicate;

/**
 * Loads the classes under a package prefix again, itself (child first, from its parent's
 * resources), refuses the classes {@code hidden} names, and delegates the rest: how a test sees
 * the library deployed where a class it uses is missing (a WildFly deployment without
 * {@code sun.misc}, a WAR without one of the library's classes). Shared with the other modules'
 * tests through core's test-jar.
 */
public final class HidingClassLoader extends ClassLoader {
    private final String prefix;
    private final Predicate<String> hidden;

    /**
     * @param parent where the classes' bytes and every other class come from
     * @param prefix the package prefix loaded again here, such as {@code "dev.breaker."}
     * @param hidden which class names are refused ({@code ClassNotFoundException})
     */
    public HidingClassLoader(ClassLoader parent, String prefix, Predicate<String> hidden) {
        super(parent);
        this.prefix = prefix;
        this.hidden = hidden;
    }

    @Override
    protected synchronized Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (hidden.test(name)) {
            throw new ClassNotFoundException(name + " (hidden by the test)");
        }
        if (!name.startsWith(prefix)) {
            return super.loadClass(name, resolve);
        }
        Class<?> c = findLoadedClass(name);
        if (c == null) {
            try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                if (in == null) {
                    throw new ClassNotFoundException(name);
                }
                byte[] bytes = in.readAllBytes();
                c = defineClass(name, bytes, 0, bytes.length);
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }
        if (resolve) {
            resolveClass(c);
        }
        return c;
    }
}
