package dev.shout.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Debian's {@code openssl s_server} on loopback: a TLS server that is not ours, for the client's
 * black-box tests. With {@code -rev} it sends back every line it reads, reversed, one connection
 * at a time. Stopped by its pid on close.
 */
final class OpensslServer implements AutoCloseable {

    private static final String OPENSSL = "/usr/bin/openssl";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern LISTENING = Pattern.compile("^ACCEPT$");

    private final Process process;
    private final int port;
    private final LogLines output;

    private OpensslServer(Process process, int port) {
        this.process = process;
        this.port = port;
        this.output = LogLines.of(process, "s_server-" + process.pid());
    }

    /**
     * Starts a reversing server with this certificate and key, and {@code options} such as
     * {@code -Verify 1 -CAfile ca.crt} for mutual TLS, and waits until it accepts connections.
     */
    static OpensslServer reversing(Path certificate, Path key, String... options) {
        int port = FreePorts.one();
        List<String> command = new ArrayList<>(List.of(OPENSSL, "s_server", "-accept", "127.0.0.1:" + port,
                "-cert", certificate.toString(), "-key", key.toString(), "-rev"));
        command.addAll(List.of(options));
        OpensslServer server;
        try {
            server = new OpensslServer(new ProcessBuilder(command).redirectErrorStream(true).start(), port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            server.output.await(LISTENING, START_TIMEOUT);
            return server;
        } catch (RuntimeException | AssertionError e) {
            server.close();
            throw e;
        }
    }

    int port() {
        return port;
    }

    /** What it printed: the peers it served and why it dropped any. */
    String output() {
        return output.text();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
