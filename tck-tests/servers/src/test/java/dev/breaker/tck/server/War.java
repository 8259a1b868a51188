package dev.breaker.tck.server;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Builds the test application's WAR from compiled test classes: the application package under
 * {@code WEB-INF/classes}, the library jar (as the build made it) under {@code WEB-INF/lib}, an
 * {@code annotated} {@code WEB-INF/beans.xml}, and the MicroProfile Config file.
 */
final class War {
    private War() {
    }

    static Path build(Path target, Class<?> appMarker, String configResource) throws IOException, URISyntaxException {
        Path classes = Path.of(appMarker.getProtectionDomain().getCodeSource().getLocation().toURI());
        String pkg = appMarker.getPackageName().replace('.', '/');
        Path library = Path.of(dev.breaker.cdi.BreakerFactory.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI());
        Files.createDirectories(target.getParent());
        try (JarOutputStream war = new JarOutputStream(Files.newOutputStream(target))) {
            try (Stream<Path> files = Files.walk(classes.resolve(pkg))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    put(war, "WEB-INF/classes/" + classes.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
                }
            }
            put(war, "WEB-INF/classes/META-INF/microprofile-config.properties",
                    Files.readAllBytes(classes.resolve(configResource)));
            put(war, "WEB-INF/beans.xml", ("<beans xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"4.0\""
                    + " bean-discovery-mode=\"annotated\"/>\n").getBytes());
            put(war, "WEB-INF/lib/breaker-cdi.jar", libraryJar(library));
        }
        return target;
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
