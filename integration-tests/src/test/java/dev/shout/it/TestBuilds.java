package dev.shout.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Other builds of the server, made from the built jar, for upgrade tests: the same code under
 * another version in its manifest, or a build whose worker speaks another link protocol.
 */
final class TestBuilds {

    private static final String WORKER_MAIN = "dev/shout/server/process/worker/WorkerMain";
    /**
     * A worker that says hello in {@code %2$d}, as build {@code %1$s}, and waits for the master to
     * close its link; the frame is the link protocol's: a two-byte length, the type (1, Hello), the
     * protocol as four bytes, the build as a length byte and UTF-8.
     */
    private static final String OTHER_PROTOCOL_WORKER = """
            package dev.shout.server.process.worker;

            import java.net.UnixDomainSocketAddress;
            import java.nio.ByteBuffer;
            import java.nio.channels.SocketChannel;
            import java.nio.charset.StandardCharsets;
            
            public final class WorkerMain {
                public static void main(String[] args) throws Exception {
                    try (SocketChannel link = SocketChannel.open(UnixDomainSocketAddress.of(args[0]))) {
                        byte[] build = "%1$s".getBytes(StandardCharsets.UTF_8);
                        ByteBuffer hello = ByteBuffer.allocate(2 + 1 + 4 + 1 + build.length);
                        hello.putShort((short) (1 + 4 + 1 + build.length)).put((byte) 1).putInt(%2$d)
                                .put((byte) build.length).put(build).flip();
                        while (hello.hasRemaining()) {
                            link.write(hello);
                        }
                        while (link.read(ByteBuffer.allocate(512)) >= 0) {
                            // until the master closes the link
                        }
                    }
                    System.exit(4);
                }
            }
            """;

    private TestBuilds() {
    }

    /** The build's version, as its manifest says. */
    static String version(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getManifest().getMainAttributes().getValue(Attributes.Name.IMPLEMENTATION_VERSION);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes to {@code target} the build {@code jar} under {@code version}: the same classes, another manifest. */
    static Path withVersion(Path jar, String version, Path target) {
        return rewrite(jar, version, Map.of(), target);
    }

    /**
     * Writes to {@code target} the build {@code jar} under {@code version}, but for a worker that
     * says hello in link protocol {@code protocol} and does nothing more.
     */
    static Path speakingProtocol(Path jar, String version, int protocol, Path target) {
        return rewrite(jar, version, Map.of(WORKER_MAIN + ".class", compileWorker(version, protocol, target)), target);
    }

    private static byte[] compileWorker(String version, int protocol, Path next) {
        try {
            Path sources = Files.createTempDirectory(next.getParent(), "worker-source");
            Path source = sources.resolve(WORKER_MAIN + ".java");
            Files.createDirectories(source.getParent());
            Files.writeString(source, OTHER_PROTOCOL_WORKER.formatted(version, protocol));
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            int result = javac.run(null, null, null, "--release", "17", "-d", sources.toString(), source.toString());
            if (result != 0) {
                throw new AssertionError("the worker of another link protocol did not compile");
            }
            return Files.readAllBytes(sources.resolve(WORKER_MAIN + ".class"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Copies {@code jar} to {@code target} with {@code version} in its manifest and {@code replaced}
     * entries, through the JDK's zip file system, which copies the other entries as they are.
     */
    private static Path rewrite(Path jar, String version, Map<String, byte[]> replaced, Path target) {
        try {
            Files.copy(jar, target);
            try (FileSystem build = FileSystems.newFileSystem(target)) {
                Path manifestFile = build.getPath(JarFile.MANIFEST_NAME);
                Manifest manifest;
                try (InputStream bytes = Files.newInputStream(manifestFile)) {
                    manifest = new Manifest(bytes);
                }
                manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, version);
                try (OutputStream out = Files.newOutputStream(manifestFile)) {
                    manifest.write(out);
                }
                for (Map.Entry<String, byte[]> entry : replaced.entrySet()) {
                    Files.write(build.getPath(entry.getKey()), entry.getValue());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }
}
