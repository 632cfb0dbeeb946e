package dev.shout.server.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pinned copy: it holds the bytes the jar had when pinned, whatever happens to the jar on
 * disk after; the archive beside the jar goes with it; Netty's epoll library is taken out of it,
 * each jar's into its own directory; a new pin replaces them without disturbing a reader of the
 * old files; it knows whether the file at the jar's path is still the
 * one it pinned; close leaves nothing behind.
 */
@Timeout(10)
class PinnedJarTest {

    @TempDir
    Path release;
    @TempDir
    Path privateDirectory;

    @Test
    void theCopyKeepsTheBytesTheJarHadWhenPinned() throws IOException {
        Path source = write(release.resolve("shout-server.jar"), "build 1");
        Path pinned = new PinnedJar(privateDirectory).pin(source);
        replace(source, "build 2");
        assertEquals(privateDirectory.resolve(PinnedJar.JAR), pinned);
        assertEquals("build 1", Files.readString(pinned));
    }

    @Test
    void theArchiveBesideTheJarIsPinnedWithItAndBothKeepTheirModificationTime() throws IOException {
        Path source = write(release.resolve("any-name.jar"), "build 1");
        Path archive = write(release.resolve(PinnedJar.ARCHIVE), "archive of build 1");
        FileTime built = FileTime.fromMillis(1_700_000_000_000L);
        Files.setLastModifiedTime(source, built);
        PinnedJar pinnedJar = new PinnedJar(privateDirectory);
        Path pinned = pinnedJar.pin(source);
        assertEquals(Optional.of(privateDirectory.resolve(PinnedJar.ARCHIVE)), pinnedJar.archive());
        assertEquals("archive of build 1", Files.readString(pinnedJar.archive().orElseThrow()));
        assertEquals(built, Files.getLastModifiedTime(pinned), "the archive checks the jar's modification time");
        // Whole seconds, as the JVM compares them: the copy keeps microseconds only.
        assertEquals(Files.getLastModifiedTime(archive).to(TimeUnit.SECONDS),
                Files.getLastModifiedTime(pinnedJar.archive().orElseThrow()).to(TimeUnit.SECONDS));
    }

    @Test
    void aJarWithoutAnArchiveIsPinnedWithout() throws IOException {
        PinnedJar pinnedJar = new PinnedJar(privateDirectory);
        pinnedJar.pin(write(release.resolve("shout-server.jar"), "build 1"));
        assertEquals(Optional.empty(), pinnedJar.archive());
    }

    @Test
    void theEpollLibraryIsTakenOutOfThePinnedJarBesideIt() throws IOException {
        PinnedJar pinnedJar = new PinnedJar(privateDirectory);
        pinnedJar.pin(jar(release.resolve("shout-server.jar"), EpollLibrary.ENTRY, "library of build 1"));
        Path library = privateDirectory.resolve(EpollLibrary.FILE);
        assertEquals(Optional.of(library), pinnedJar.epollLibrary());
        assertEquals("library of build 1", Files.readString(library));
        assertTrue(library.getFileName().toString().matches("libnetty_transport_native_epoll_[a-z0-9_]+\\.so"),
                library.toString());
    }

    /** Netty's epoll jar for this machine, on the test class path, holds the library under the name taken out. */
    @Test
    void theEntryIsWhereNettyKeepsTheLibrary() {
        assertNotNull(PinnedJarTest.class.getClassLoader().getResource(EpollLibrary.ENTRY), EpollLibrary.ENTRY);
    }

    @Test
    void aJarWithoutTheEpollLibraryOrNoJarAtAllIsPinnedWithout() throws IOException {
        PinnedJar pinnedJar = new PinnedJar(privateDirectory);
        pinnedJar.pin(jar(release.resolve("shout-server.jar"), "META-INF/native/libother.so", "another library"));
        assertEquals(Optional.empty(), pinnedJar.epollLibrary());
        pinnedJar.pin(write(release.resolve("shout-server.jar"), "not a zip file"));
        assertEquals(Optional.empty(), pinnedJar.epollLibrary());
        assertEquals("not a zip file", Files.readString(pinnedJar.jar().orElseThrow()), "pinned all the same");
        try (var left = Files.list(privateDirectory)) {
            assertEquals(List.of(privateDirectory.resolve(PinnedJar.JAR)), left.toList());
        }
    }

    @Test
    void eachDirectoryHoldsTheEpollLibraryOfItsOwnJar() throws IOException {
        PinnedJar serving = new PinnedJar(privateDirectory);
        PinnedJar next = new PinnedJar(Files.createDirectory(privateDirectory.resolve("next")));
        serving.pin(jar(release.resolve("shout-server.jar"), EpollLibrary.ENTRY, "library of build 1"));
        next.pin(jar(release.resolve("shout-server.jar"), EpollLibrary.ENTRY, "library of build 2"));
        assertEquals("library of build 1", Files.readString(serving.epollLibrary().orElseThrow()));
        assertEquals("library of build 2", Files.readString(next.epollLibrary().orElseThrow()));
    }

    @Test
    void aNewPinReplacesTheJarAndDropsAnArchiveAndLibraryThatBelongedToTheOld() throws IOException {
        PinnedJar pinnedJar = new PinnedJar(privateDirectory);
        Path first = jar(release.resolve("shout-server.jar"), EpollLibrary.ENTRY, "library of build 1");
        write(release.resolve(PinnedJar.ARCHIVE), "archive of build 1");
        pinnedJar.pin(first);
        Path next = Files.createDirectory(release.resolve("next"));
        Path pinned = pinnedJar.pin(write(next.resolve("shout-server.jar"), "build 2"));
        assertEquals("build 2", Files.readString(pinned));
        assertEquals(Optional.empty(), pinnedJar.archive());
        assertEquals(Optional.empty(), pinnedJar.epollLibrary());
    }

    @Test
    void aWorkerReadingTheOldPinKeepsItWholeAcrossANewPin() throws IOException {
        PinnedJar pinnedJar = new PinnedJar(privateDirectory);
        byte[] old = "build 1 ".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
        Path pinned = pinnedJar.pin(Files.write(release.resolve("shout-server.jar"), old));
        try (InputStream running = Files.newInputStream(pinned)) {
            replace(release.resolve("shout-server.jar"), "build 2");
            pinnedJar.pin(release.resolve("shout-server.jar"));
            assertArrayEquals(old, running.readAllBytes());
        }
        assertEquals("build 2", Files.readString(pinned));
    }

    @Test
    void closeRemovesThePinnedFilesAndLeavesTheDirectoryToItsOwner() throws IOException {
        write(release.resolve(PinnedJar.ARCHIVE), "archive");
        PinnedJar pinnedJar = new PinnedJar(privateDirectory);
        pinnedJar.pin(jar(release.resolve("shout-server.jar"), EpollLibrary.ENTRY, "library"));
        assertTrue(pinnedJar.epollLibrary().isPresent());
        pinnedJar.close();
        assertEquals(Optional.empty(), pinnedJar.jar());
        assertTrue(Files.isDirectory(privateDirectory));
        try (var left = Files.list(privateDirectory)) {
            assertFalse(left.findAny().isPresent(), "files left in the private directory");
        }
    }

    @Test
    void itHoldsTheFileItPinnedUntilAnotherIsRenamedOverItsPath() throws IOException {
        Path source = write(release.resolve("shout-server.jar"), "build 1");
        PinnedJar pinnedJar = new PinnedJar(privateDirectory);
        assertFalse(pinnedJar.holds(source), "nothing pinned yet");
        pinnedJar.pin(source);
        assertTrue(pinnedJar.holds(source));
        FileTime modified = Files.getLastModifiedTime(source);
        replace(source, "build 1");
        Files.setLastModifiedTime(source, modified);
        assertFalse(pinnedJar.holds(source), "the same bytes and time in another file are another jar");
        pinnedJar.pin(source);
        assertTrue(pinnedJar.holds(source));
    }

    @Test
    void aJarRewrittenInPlaceIsNoLongerTheOnePinned() throws IOException {
        Path source = write(release.resolve("shout-server.jar"), "build 1");
        PinnedJar pinnedJar = new PinnedJar(privateDirectory);
        pinnedJar.pin(source);
        write(source, "build 22");
        assertFalse(pinnedJar.holds(source));
        Files.delete(source);
        assertFalse(pinnedJar.holds(source), "a jar gone from its path");
    }

    private static Path write(Path file, String content) throws IOException {
        return Files.writeString(file, content);
    }

    /** A jar (a zip file) of one entry. */
    private static Path jar(Path file, String entry, String content) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry(entry));
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return file;
    }

    /** As a deploy does: a new file renamed over the jar. */
    private static void replace(Path jar, String content) throws IOException {
        Path fresh = write(jar.resolveSibling(jar.getFileName() + ".new"), content);
        Files.move(fresh, jar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
