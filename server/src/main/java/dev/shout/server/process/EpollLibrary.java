package dev.shout.server.process;

import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Netty's native epoll library, taken out of a jar once so that workers find it on their
 * {@code java.library.path}, which Netty's {@code NativeLibraryLoader} tries first; otherwise every
 * worker copies it out of its jar into a new file under {@code /tmp} as it starts (some 70 ms of
 * a worker's start). The name is the one Netty's epoll {@code Native} asks for first,
 * {@code netty_transport_native_epoll_} and the architecture as Netty names it ({@code x86_64},
 * {@code aarch_64}, {@code riscv64}); the jar is not shaded, so Netty adds no prefix to it.
 */
final class EpollLibrary {

    private static final Logger log = LoggerFactory.getLogger(EpollLibrary.class);
    /** The library's file name, as {@code System.loadLibrary} looks for it in a directory. */
    static final String FILE = System.mapLibraryName("netty_transport_native_epoll_" + PlatformDependent.normalizedArch());
    /** Where Netty keeps it in a jar. */
    static final String ENTRY = "META-INF/native/" + FILE;

    private EpollLibrary() {
    }

    /**
     * Copies the library out of {@code jar} into {@code directory} as {@link #FILE}, under a
     * temporary name first. A jar without it (another architecture's
     * build) is no error; one that cannot be read, or a copy that fails, is logged once: either
     * way workers from {@code jar} then take the library out of it themselves, as Netty does.
     */
    static void extract(Path jar, Path directory) {
        Path library = directory.resolve(FILE);
        Path partial = directory.resolve(FILE + ".partial");
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry(ENTRY);
            if (entry == null) {
                return;
            }
            try (InputStream in = zip.getInputStream(entry)) {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(partial, library, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            log.warn("cannot take {} out of {} into {} ({}): workers will take it out themselves", ENTRY, jar,
                    directory, e.toString());
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // Left behind, to be copied over by the next pin.
            }
        }
    }
}
