package dev.shout.server.process;

import dev.shout.server.ExitCodes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes the class-data sharing archive of a server jar, {@link PinnedJar#ARCHIVE} beside it, for
 * this JVM: {@code java -cp shout-server.jar dev.shout.server.process.CdsTraining shout-server.jar}.
 * Run at package time and in the Docker image, since an archive serves only the JVM build that
 * made it. It starts the jar as a server with one worker that lists every class it loads
 * ({@code -XX:DumpLoadedClassList}), serves one connection, and stops it with SIGTERM, so the list
 * holds what a worker loads to start, serve and drain; then dumps a static archive of that list
 * ({@code -Xshare:dump}). A static archive, unlike one dumped at a worker's exit
 * ({@code -XX:ArchiveClassesAtExit}), holds the JDK's own classes with the jar's in one file. The worker runs
 * from the master's pinned copy and the dump from the jar's own directory, both with
 * {@link PinnedJar#CLASS_PATH}, so the archive names the class path every worker will have.
 */
public final class CdsTraining {

    private static final Pattern LISTENING = Pattern.compile("shout listening on 127\\.0\\.0\\.1:(\\d+)");
    private static final Duration PATIENCE = Duration.ofMinutes(2);

    private CdsTraining() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: CdsTraining <server jar>");
            System.exit(ExitCodes.USAGE);
        }
        Path jar = Path.of(args[0]).toAbsolutePath();
        Path archive = PinnedJar.archiveBeside(jar);
        Path partial = archive.resolveSibling(archive.getFileName() + ".partial");
        Path classList = archive.resolveSibling("cds-training.classlist");
        Path log = archive.resolveSibling("cds-training.log");
        Files.deleteIfExists(archive);
        Files.deleteIfExists(partial);
        Files.deleteIfExists(classList);
        try {
            if (!jar.getFileName().toString().equals(PinnedJar.JAR)) {
                throw new IllegalStateException(jar + ": the archive is made for a jar named " + PinnedJar.JAR);
            }
            train(jar, classList, log);
            dump(jar, classList, partial, log);
        } catch (IOException | IllegalStateException e) {
            System.err.println("cds training failed: " + e.getMessage() + "; see " + log);
            System.exit(ExitCodes.START_FAILED);
        }
        Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("class-data sharing archive: " + archive + " (" + Files.size(archive) + " bytes)");
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void train(Path jar, Path classList, Path log) throws IOException, InterruptedException {
        Process server = new ProcessBuilder(List.of(java(), "-jar", jar.toString(),
                "--host", "127.0.0.1", "--port", "0", "--workers", "1",
                "--worker-jvm-opts", "-XX:DumpLoadedClassList=" + classList))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            int port = awaitPort(server, log);
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), (int) PATIENCE.toMillis());
                socket.setSoTimeout((int) PATIENCE.toMillis());
                OutputStream out = socket.getOutputStream();
                out.write("héllo wörld\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                String reply = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                        .readLine();
                if (!"HÉLLO WÖRLD".equals(reply)) {
                    throw new IllegalStateException("the server answered " + reply);
                }
            }
        } finally {
            server.destroy();
            if (!server.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
        if (server.exitValue() != ExitCodes.OK || !Files.isRegularFile(classList)) {
            throw new IllegalStateException("the server exited with " + server.exitValue()
                    + (Files.isRegularFile(classList) ? "" : " and its worker listed no classes"));
        }
    }

    /**
     * Dumps the listed classes from the jar's directory, where {@link PinnedJar#CLASS_PATH} names
     * the jar as it names the pinned copy in a worker's. Its warnings (the few classes a static
     * archive cannot hold, those generated at run time) go to the log.
     */
    private static void dump(Path jar, Path classList, Path partial, Path log) throws IOException, InterruptedException {
        Process dump = new ProcessBuilder(List.of(java(), "-Xshare:dump", "-XX:SharedClassListFile=" + classList,
                "-XX:SharedArchiveFile=" + partial, "-cp", PinnedJar.CLASS_PATH))
                .directory(jar.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        if (!dump.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
            dump.destroyForcibly();
            throw new IllegalStateException("the dump took longer than " + PATIENCE);
        }
        if (dump.exitValue() != 0 || !Files.isRegularFile(partial)) {
            throw new IllegalStateException("the dump exited with " + dump.exitValue());
        }
        Files.delete(classList);
    }

    private static int awaitPort(Process server, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline && server.isAlive()) {
            Matcher listening = LISTENING.matcher(Files.readString(log, StandardCharsets.UTF_8));
            if (listening.find()) {
                return Integer.parseInt(listening.group(1));
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new IllegalStateException("the server did not start");
    }
}
