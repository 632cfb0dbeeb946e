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
 * made it. It starts the jar as a server with one worker that dumps every class it loaded when it
 * exits ({@code -XX:ArchiveClassesAtExit}), serves one connection, and stops it with SIGTERM, so
 * the archive holds what a worker loads to start, serve and drain. The worker runs from the
 * master's pinned copy, so the archive names the class path every worker will have.
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
        Path log = archive.resolveSibling("cds-training.log");
        Files.deleteIfExists(archive);
        Files.deleteIfExists(partial);
        try {
            train(jar, partial, log);
        } catch (IOException | IllegalStateException e) {
            System.err.println("cds training failed: " + e.getMessage() + "; see " + log);
            System.exit(ExitCodes.START_FAILED);
        }
        Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("class-data sharing archive: " + archive + " (" + Files.size(archive) + " bytes)");
    }

    private static void train(Path jar, Path partial, Path log) throws IOException, InterruptedException {
        Process server = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
                "--host", "127.0.0.1", "--port", "0", "--workers", "1",
                // Classes of old class file versions (picocli's) cannot be archived: a warning each.
                "--worker-jvm-opts", "-XX:ArchiveClassesAtExit=" + partial + " -Xlog:cds=error"))
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
        if (server.exitValue() != ExitCodes.OK || !Files.isRegularFile(partial)) {
            throw new IllegalStateException("the server exited with " + server.exitValue()
                    + (Files.isRegularFile(partial) ? "" : " and its worker wrote no archive"));
        }
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
