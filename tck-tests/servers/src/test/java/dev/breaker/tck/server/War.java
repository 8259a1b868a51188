package dev.breaker.tck.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Builds a test application's WAR from compiled classes: whole packages and single classes under
 * {@code WEB-INF/classes} (taken from wherever the build put them: this module's test classes,
 * or the suite's jar), the library jar (as the build made it) under {@code WEB-INF/lib}, an
 * {@code annotated} {@code WEB-INF/beans.xml}, and the MicroProfile Config file.
 */
final class War {
    private War() {
    }

    /**
     * @param packages each class stands for its whole package (and the packages below it)
     * @param classes  each class with its nested classes, and nothing else of its package
     */
    static Path build(Path target, String configResource, List<Class<?>> packages, List<Class<?>> classes)
            throws IOException, URISyntaxException {
        return build(target, configResource, packages, classes, java.util.Map.of());
    }

    /**
     * As {@link #build(Path, String, List, List)}, with {@code manifest} headers in
     * {@code META-INF/MANIFEST.MF} (WildFly reads {@code Dependencies} there).
     */
    static Path build(Path target, String configResource, List<Class<?>> packages, List<Class<?>> classes,
                      java.util.Map<String, String> manifest) throws IOException, URISyntaxException {
        Path library = location(dev.breaker.cdi.BreakerFactory.class);
        Path core = location(dev.breaker.Breaker.class);
        Files.createDirectories(target.getParent());
        java.util.jar.Manifest mf = new java.util.jar.Manifest();
        mf.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.forEach((k, v) -> mf.getMainAttributes().putValue(k, v));
        try (JarOutputStream war = new JarOutputStream(Files.newOutputStream(target), mf)) {
            for (Class<?> marker : packages) {
                String dir = dirOf(marker);
                copy(war, marker, name -> name.startsWith(dir));
            }
            for (Class<?> c : classes) {
                String prefix = dirOf(c) + c.getSimpleName();
                copy(war, c, name -> name.equals(prefix + ".class") || name.startsWith(prefix + "$"));
            }
            try (InputStream config = War.class.getResourceAsStream("/" + configResource)) {
                if (config == null) {
                    throw new IOException("no " + configResource + " on the test class path");
                }
                put(war, "WEB-INF/classes/META-INF/microprofile-config.properties", config.readAllBytes());
            }
            put(war, "WEB-INF/beans.xml", ("<beans xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"4.0\""
                    + " bean-discovery-mode=\"annotated\"/>\n").getBytes());
            put(war, "WEB-INF/lib/breaker-cdi.jar", libraryJar(library));
            put(war, "WEB-INF/lib/breaker-core.jar", libraryJar(core));
        }
        return target;
    }

    /** {@code dev/breaker/x/} for a class of package {@code dev.breaker.x}. */
    private static String dirOf(Class<?> c) {
        return c.getPackageName().replace('.', '/') + "/";
    }

    private static Path location(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** Puts under {@code WEB-INF/classes} the files of {@code marker}'s class path root that {@code wanted} accepts. */
    private static void copy(JarOutputStream war, Class<?> marker, Predicate<String> wanted)
            throws IOException, URISyntaxException {
        Path root = location(marker);
        if (Files.isRegularFile(root)) { // a jar (the suite, as the reactor packaged it)
            try (FileSystem jar = FileSystems.newFileSystem(root)) {
                copyTree(war, jar.getPath("/"), dirOf(marker), wanted);
            }
        } else {
            copyTree(war, root, dirOf(marker), wanted);
        }
    }

    private static void copyTree(JarOutputStream war, Path root, String dir, Predicate<String> wanted)
            throws IOException {
        try (Stream<Path> files = Files.walk(root.resolve(dir))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String name = root.relativize(f).toString().replace('\\', '/');
                if (wanted.test(name)) {
                    put(war, "WEB-INF/classes/" + name, Files.readAllBytes(f));
                }
            }
        }
    }

    /** The library as a jar: the packaged jar, or the classes directory zipped (an IDE run). */
    private static byte[] libraryJar(Path library) throws IOException {
        if (Files.isRegularFile(library)) {
            return Files.readAllBytes(library);
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes); Stream<Path> files = Files.walk(library)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                put(jar, library.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
            }
        }
        return bytes.toByteArray();
    }

    private static void put(JarOutputStream out, String name, byte[] content) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(content);
        out.closeEntry();
    }

}
