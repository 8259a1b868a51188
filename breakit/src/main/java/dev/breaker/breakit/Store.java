package dev.breaker.breakit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntSupplier;
import java.util.stream.Stream;

/**
 * The state directory: {@code <id>.state} (an {@link Entry}) and {@code <id>.log} (the command's
 * output and the supervisor's messages) per {@code after} command. No file is shared between
 * writers and every write is a rename of a complete file, so any number of breakit processes
 * may use the directory at once without locks.
 */
final class Store {
    private static final String STATE = ".state";
    private final Path dir;
    /** Draws the number of a new id, below 2^24. */
    private final IntSupplier draw;

    Store(Path dir) {
        this(dir, () -> ThreadLocalRandom.current().nextInt(1 << 24));
    }

    /** With the ids' numbers drawn by {@code draw}: for tests. */
    Store(Path dir, IntSupplier draw) {
        this.dir = dir;
        this.draw = draw;
    }

    /** {@code $XDG_STATE_HOME/breakit}, or {@code ~/.local/state/breakit}, as the XDG spec says. */
    static Path defaultDir(Map<String, String> env) {
        String xdg = env.get("XDG_STATE_HOME");
        if (xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "breakit");
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".local", "state", "breakit");
    }

    Path dir() {
        return dir;
    }

    Path log(String id) {
        return dir.resolve(id + ".log");
    }

    /** Creates the directory, readable by its owner only (logs may hold secrets), if missing. */
    private void createDir() throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir.toAbsolutePath().getParent());
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException raced) {
            // another breakit made it
        } catch (UnsupportedOperationException notPosix) {
            Files.createDirectories(dir);
        }
    }

    /**
     * A new id, reserved by creating its (empty) log file. An id that already has a
     * {@code <id>.state} of any kind (one whose log was deleted, a damaged or foreign one, a
     * directory) is not new: its file is not overwritten, and the draw is repeated.
     */
    String reserveId() throws IOException {
        createDir();
        while (true) {
            String id = String.format("%06x", draw.getAsInt() & 0xffffff);
            try {
                Files.createFile(log(id));
            } catch (FileAlreadyExistsException taken) {
                continue;   // another breakit took it: draw again
            }
            if (!Files.exists(dir.resolve(id + STATE), LinkOption.NOFOLLOW_LINKS)) {
                return id;
            }
            Files.delete(log(id));   // ours: made just now
        }
    }

    void write(Entry e) throws IOException {
        createDir();
        Path tmp = Files.createTempFile(dir, e.id + ".", ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                e.toProperties().store(out, "breakit " + e.id);
            }
            Files.move(tmp, dir.resolve(e.id + STATE), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * The entry {@code id}, empty if it has no state file. A state file that cannot be read
     * (empty, garbage, a directory, unreadable) gives an entry marked {@link Entry#corrupt}.
     */
    Optional<Entry> read(String id) throws IOException {
        Path file = dir.resolve(id + STATE);
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            if (!Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            return Optional.of(Entry.unreadable(id, Files.isDirectory(file) ? "a directory"
                    : "unreadable (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")"));
        }
        return Optional.of(Entry.fromProperties(p, id));
    }

    /** Every entry, oldest first. */
    List<Entry> list() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Entry> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (name.endsWith(STATE)) {
                    read(name.substring(0, name.length() - STATE.length())).ifPresent(all::add);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        all.sort(Comparator.comparing((Entry e) -> e.createdAt, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(e -> e.id));
        return all;
    }

    /** The entry whose id is {@code idOrPrefix}, or the only one it starts; else bad input. */
    Entry find(String idOrPrefix) throws IOException {
        if (idOrPrefix.matches("[0-9a-f]{1,6}")) {
            Optional<Entry> exact = read(idOrPrefix);
            if (exact.isPresent()) {
                return exact.get();
            }
            List<Entry> matches = new ArrayList<>();
            for (Entry e : list()) {
                if (e.id.startsWith(idOrPrefix)) {
                    matches.add(e);
                }
            }
            if (matches.size() == 1) {
                return matches.get(0);
            }
            if (matches.size() > 1) {
                throw new BadInput("BRKT006: ambiguous id '" + idOrPrefix + "': " + matches.size() + " processes match");
            }
        }
        throw new BadInput("BRKT006: unknown id '" + idOrPrefix + "' (breakit ps -a lists them)");
    }
}
