package dev.shout.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Process mode: workers start from the copy of the jar the master pinned in its private
 * directory, with the class-data sharing archive made beside the jar at package time, mapped
 * into each worker; a missing or damaged archive costs speed, never a worker or a word in the
 * log; Netty's epoll library, taken out of the pinned jar once by the master, is loaded by each
 * worker from beside its jar, not copied to {@code /tmp} anew. Each server here runs from a copy of the built jar in a directory of the test's own, so
 * that the test may replace or damage the files on disk.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PinnedJarTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern PRIVATE_DIRECTORY = Pattern.compile("workers link through (\\S+)/control\\.sock");
    private static final String ARCHIVE = "shout-server.jsa";
    private static final String PINNED_JAR = "shout-server.jar";

    @TempDir
    Path release;

    @Test
    void everyWorkerMapsTheArchiveMadeWithTheJar() throws IOException {
        Path jar = copyBuiltJar(true);
        try (ServerProcess server = ServerProcess.startJar(jar, "--mode", "process", "--workers", "2")) {
            Path pinned = privateDirectory(server);
            List<Long> workers = awaitWorkers(server, 2);
            for (long worker : workers) {
                assertTrue(maps(worker).contains(pinned.resolve(ARCHIVE).toString()),
                        "worker " + worker + " does not map " + pinned.resolve(ARCHIVE) + ":\n" + maps(worker));
            }
            RoundTrips.assertUnicodeLineComesBackFullyUppercased(server.port());
        }
    }

    @Test
    void everyWorkerLoadsTheEpollLibraryTakenOutOfItsPinnedJar() throws IOException {
        Path jar = copyBuiltJar(true);
        try (ServerProcess server = ServerProcess.startJar(jar, "--mode", "process", "--workers", "2")) {
            Path pinned = privateDirectory(server);
            for (long worker : awaitWorkers(server, 2)) {
                assertEquals(pinned, assertLoadsTheEpollLibraryBesideItsJar(worker));
            }
            RoundTrips.assertUnicodeLineComesBackFullyUppercased(server.port());
            assertEquals(List.of(), server.logLines(" WARN "));
        }
    }

    /**
     * Asserts that the worker {@code pid} has mapped Netty's epoll library from its working
     * directory, where its pinned jar is, and from nowhere else; returns that directory.
     */
    static Path assertLoadsTheEpollLibraryBesideItsJar(long pid) throws IOException {
        Path directory = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd"));
        String maps = maps(pid);
        List<String> libraries = maps.lines().filter(line -> line.contains("libnetty_transport_native_epoll"))
                .map(line -> line.substring(line.indexOf('/'))).distinct().toList();
        assertEquals(1, libraries.size(), "worker " + pid + " maps the epoll library once: " + libraries);
        Path library = Path.of(libraries.get(0));
        assertEquals(directory, library.getParent(), "worker " + pid + " maps " + library);
        assertTrue(Files.isRegularFile(library), library + " is not there (deleted?)");
        return directory;
    }

    /**
     * The classes a worker needs to start come from the archive, not the jar: logging's, Netty's
     * native transport and the worker's own. A class missing from the archive is read, parsed and
     * verified anew by every worker. Picocli is not among them: a worker parses no command line.
     */
    @Test
    void theArchiveHoldsWhatAWorkerLoadsToStart() throws IOException {
        Path jar = copyBuiltJar(true);
        Path classLog = release.resolve("worker-classes.log");
        try (ServerProcess server = ServerProcess.startJar(jar, "--mode", "process", "--workers", "1",
                "--worker-jvm-opts", "-Xlog:class+load=info:file=" + classLog)) {
            awaitWorkers(server, 1);
            List<String> needed = List.of("dev.shout.server.config.WorkerSettings",
                    "dev.shout.server.logging.StderrLogger", "io.netty.channel.epoll.Native",
                    "dev.shout.server.process.worker.Worker", "dev.shout.server.process.link.LinkCodec",
                    "dev.shout.server.pipeline.ShoutChannelInitializer");
            String loaded = Await.value("the worker's class loading log", WAIT, () -> {
                String text = Files.isRegularFile(classLog) ? read(classLog) : "";
                return text.contains(" dev.shout.server.process.link.LinkCodec source:") ? text : null;
            });
            for (String name : needed) {
                assertTrue(loaded.contains(" " + name + " source: shared objects file"),
                        name + " was not loaded from the archive; classes read from the jar:\n"
                                + loaded.lines().filter(line -> line.contains(PINNED_JAR)).toList());
            }
            assertEquals(List.of(), loaded.lines().filter(line -> line.contains(" picocli.")).toList(),
                    "a worker parses no command line");
            assertEquals(List.of(), server.logLines("SLF4J"), "a worker's notes on how it found its logger");
        }
    }

    @Test
    void workersStartAndSayNothingWhenTheArchiveIsDamaged() throws IOException {
        Path jar = copyBuiltJar(true);
        Path archive = release.resolve(ARCHIVE);
        byte[] damaged = Files.readAllBytes(archive);
        for (int i = 0; i < damaged.length; i += 4096) {
            damaged[i] ^= 0x5a;
        }
        archive.toFile().setWritable(true);
        Files.write(archive, damaged);
        assertWorkersServeWithoutAnArchive(jar);
    }

    @Test
    void workersStartWhenTheJarHasNoArchive() throws IOException {
        assertWorkersServeWithoutAnArchive(copyBuiltJar(false));
    }

    @Test
    void aWorkerRespawnedAfterTheJarOnDiskWasReplacedRunsThePinnedCopy() throws IOException {
        Path jar = copyBuiltJar(true);
        try (ServerProcess server = ServerProcess.startJar(jar, "--mode", "process", "--workers", "2",
                "--metrics-port", "0")) {
            Path pinned = privateDirectory(server);
            List<Long> workers = awaitWorkers(server, 2);
            MetricsEndpoint metrics = MetricsEndpoint.of(server::awaitLog);
            String version = System.getProperty("project.version");
            metrics.await("shout_build_info{version=\"" + version + "\",worker=\"1\"}", 1);
            metrics.await("shout_build_info{version=\"" + version + "\",worker=\"2\"}", 1);

            // A deploy renames another file over the jar: here one that is no jar at all, which
            // no worker could start from.
            Path next = Files.writeString(release.resolve("next.jar"), "not a jar", StandardCharsets.UTF_8);
            Files.move(next, jar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            long victim = workers.get(0);
            Signals.send("KILL", victim);
            List<Long> respawned = Await.value("a replacement for worker " + victim, WAIT, () -> {
                List<Long> now = server.children().stream().map(ProcessHandle::pid).toList();
                return now.size() == 2 && !now.contains(victim) ? now : null;
            });
            Await.until("both workers ready again", WAIT, () -> server.logLines(".* ready in \\d+ ms").size() >= 3);
            for (long worker : respawned) {
                assertTrue(cmdline(worker).contains("-cp\0/proc/self/cwd/" + PINNED_JAR + "\0"), cmdline(worker));
                assertEquals(pinned, Files.readSymbolicLink(Path.of("/proc", Long.toString(worker), "cwd")));
                // The JVM maps an archive only if the jar it was made for, by size and time, is on the class path.
                assertTrue(maps(worker).contains(pinned.resolve(ARCHIVE).toString()),
                        "worker " + worker + " does not map the archive of the pinned jar:\n" + maps(worker));
            }
            for (int i = 0; i < 20; i++) {
                RoundTrips.assertUnicodeLineComesBackFullyUppercased(server.port());
            }
            metrics.await("shout_build_info{version=\"" + version + "\",worker=\"1\"}", 1);

            server.requestStop();
            assertEquals(0, server.awaitExit(WAIT), server.logText());
            assertFalse(Files.exists(pinned), pinned + " outlived the master");
        }
    }

    private void assertWorkersServeWithoutAnArchive(Path jar) {
        try (ServerProcess server = ServerProcess.startJar(jar, "--mode", "process", "--workers", "2")) {
            Path pinned = privateDirectory(server);
            for (long worker : awaitWorkers(server, 2)) {
                assertFalse(maps(worker).contains(pinned.resolve(ARCHIVE).toString()), "worker " + worker);
            }
            RoundTrips.assertUnicodeLineComesBackFullyUppercased(server.port());
            List<String> said = server.logLines("(?i).*\\b(cds|shar(ed|ing)|archive)\\b.*");
            assertEquals(List.of(), said, "the JVM spoke of the archive");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The built jar, copied here with its modification time, which its archive checks; and that archive. */
    private Path copyBuiltJar(boolean withArchive) throws IOException {
        Path built = Path.of(Jars.server());
        Path jar = Files.copy(built, release.resolve("shout-server.jar"), StandardCopyOption.COPY_ATTRIBUTES);
        if (withArchive) {
            Path archive = built.resolveSibling(ARCHIVE);
            assertTrue(Files.isRegularFile(archive), archive + " was not made when the jar was packaged");
            Files.copy(archive, release.resolve(ARCHIVE), StandardCopyOption.COPY_ATTRIBUTES);
        }
        return jar;
    }

    private static Path privateDirectory(ServerProcess server) {
        Matcher matcher = PRIVATE_DIRECTORY.matcher(server.awaitLog(PRIVATE_DIRECTORY.pattern()));
        assertTrue(matcher.find());
        return Path.of(matcher.group(1));
    }

    /** Waits for {@code count} workers, all linked: the start line comes once every one is. */
    private static List<Long> awaitWorkers(ServerProcess server, int count) {
        List<Long> workers = server.children().stream().map(ProcessHandle::pid).toList();
        assertEquals(count, workers.size(), "workers of a started server");
        return workers;
    }

    private static String maps(long pid) {
        return read(Path.of("/proc", Long.toString(pid), "maps"));
    }

    private static String cmdline(long pid) {
        return read(Path.of("/proc", Long.toString(pid), "cmdline"));
    }

    private static List<Path> openFiles(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.flatMap(fd -> {
                try {
                    return Stream.of(Files.readSymbolicLink(fd));
                } catch (IOException e) {
                    return Stream.empty(); // closed meanwhile
                }
            }).toList();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
