package dev.shout.server.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Optional;

/**
 * The copy of the server jar that workers start from, kept in the master's private directory
 * with the jar's class-data sharing archive (see {@link #ARCHIVE}) if one lies beside it, and
 * Netty's native epoll library taken out of it ({@link #epollLibrary}): a crash
 * respawn or a recycle starts the code that is running, whatever has since replaced the jar on
 * disk. {@link #pin} may be called again to pin a new jar; workers already running keep the
 * files they opened, since every pin renames its copies over the old ones. It remembers which file
 * it pinned ({@link #holds}), so that a master can tell when another has replaced it.
 *
 * <p>Workers run with this directory as their working directory and {@link #CLASS_PATH}: a JDK 17
 * archive holds the class path it was made with, as written, and is refused for any other, so
 * the archive is made at package time by a worker started the same way ({@link CdsTraining}),
 * and the one string names every master's pinned jar. It also holds the jar's size and
 * modification time, which the copy keeps.
 */
public final class PinnedJar implements AutoCloseable {

    /** The pinned jar's name in the directory. */
    public static final String JAR = "shout-server.jar";
    /**
     * The class path of workers: the pinned jar through the working directory's link in
     * {@code /proc}, one absolute path for every master, which the JVM and the JDK's class loader
     * both resolve by the kernel, whatever {@code user.dir} says.
     */
    public static final String CLASS_PATH = "/proc/self/cwd/" + JAR;
    /** The class-data sharing archive's name, beside the jar it was made from and in the directory. */
    public static final String ARCHIVE = "shout-server.jsa";

    private final Path directory;
    /** Null until a jar is pinned. */
    private Path pinnedJar;
    /** The file {@link #pinnedJar} was copied from, as it was then; null until a jar is pinned. */
    private Stamp pinnedFrom;

    /** @param directory a directory only this user can enter, which the pinned files live in */
    public PinnedJar(Path directory) {
        this.directory = directory;
    }

    /**
     * The jar this JVM runs from, if its class path is one jar file: not when run from classes,
     * where workers get the class path as it is.
     */
    static Optional<Path> runningJar() {
        Path classPath = Path.of(System.getProperty("java.class.path"));
        return classPath.toString().endsWith(".jar") && Files.isRegularFile(classPath)
                ? Optional.of(classPath.toAbsolutePath())
                : Optional.empty();
    }

    /**
     * Copies {@code source} here, and its archive ({@link #archiveBeside}) if there is one,
     * replacing what was pinned before; a pinned archive without a new one to replace it is
     * removed, as it belongs to the old jar; then takes the epoll library out of the pinned jar
     * ({@link EpollLibrary}), once for every worker that starts from it. Returns the pinned jar.
     */
    public synchronized Path pin(Path source) {
        Path jar = directory.resolve(JAR);
        Path archive = directory.resolve(ARCHIVE);
        Path library = directory.resolve(EpollLibrary.FILE);
        try {
            Stamp stamp = Stamp.of(source);
            Path sourceArchive = archiveBeside(source);
            // The archive first: a worker that starts in between gets the old jar with the new
            // archive, which its JVM refuses silently, and starts without sharing.
            if (Files.isRegularFile(sourceArchive)) {
                copyOver(sourceArchive, archive);
            } else {
                Files.deleteIfExists(archive);
            }
            // The old jar's library goes before the jar does: a worker that starts in between
            // takes its library out of its own jar, never loads another build's.
            Files.deleteIfExists(library);
            copyOver(source, jar);
            EpollLibrary.extract(jar, directory);
            pinnedJar = jar;
            pinnedFrom = stamp;
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot pin " + source + " in " + directory, e);
        }
    }

    /** The pinned jar; empty until one is pinned. */
    public synchronized Optional<Path> jar() {
        return Optional.ofNullable(pinnedJar);
    }

    /**
     * True if the jar pinned here was copied from the file now at {@code source}, unchanged: the
     * same file (device and inode, which a rename over the path changes), of the same size and
     * modification time (which a rewrite in place changes). Its content is not read: a jar of the
     * same bytes renamed over the path counts as a new one, which costs a roll onto the same code.
     */
    public synchronized boolean holds(Path source) {
        try {
            return pinnedFrom != null && pinnedFrom.equals(Stamp.of(source));
        } catch (IOException unreadable) {
            return false;
        }
    }

    /** The pinned jar's directory: the working directory of workers. */
    public Path directory() {
        return directory;
    }

    /** The pinned archive, if the pinned jar came with one. */
    public Optional<Path> archive() {
        Path archive = directory.resolve(ARCHIVE);
        return Files.isRegularFile(archive) ? Optional.of(archive) : Optional.empty();
    }

    /**
     * The pinned jar's native epoll library, if it could be taken out of it: its directory then
     * goes on the {@code java.library.path} of workers.
     */
    public Optional<Path> epollLibrary() {
        Path library = directory.resolve(EpollLibrary.FILE);
        return Files.isRegularFile(library) ? Optional.of(library) : Optional.empty();
    }

    /** Where the archive of {@code jar} lies: beside it, {@link #ARCHIVE}. */
    public static Path archiveBeside(Path jar) {
        return jar.toAbsolutePath().resolveSibling(ARCHIVE);
    }

    /** Removes the pinned files, leaving the directory to its owner. */
    @Override
    public synchronized void close() {
        pinnedJar = null;
        pinnedFrom = null;
        try {
            Files.deleteIfExists(directory.resolve(ARCHIVE));
            Files.deleteIfExists(directory.resolve(EpollLibrary.FILE));
            Files.deleteIfExists(directory.resolve(JAR));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the pinned jar from " + directory, e);
        }
    }

    /**
     * Copies under a temporary name, then renames over {@code target}: a reader of the old file
     * keeps it whole, and no one sees half a copy. The modification time goes along, as the
     * archive checks it.
     */
    private static void copyOver(Path source, Path target) throws IOException {
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        Files.copy(source, partial, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Which file a path named, and how it was then. */
    private record Stamp(Object fileKey, long size, FileTime modified) {
        static Stamp of(Path file) throws IOException {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(attributes.fileKey(), attributes.size(), attributes.lastModifiedTime());
        }
    }
}
