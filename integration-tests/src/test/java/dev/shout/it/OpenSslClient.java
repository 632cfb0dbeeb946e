package dev.shout.it;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Debian's {@code openssl s_client}, a TLS client that is not ours, talking to the server: it
 * checks the server's certificate against a CA file and the name {@code localhost}, and
 * fails on any error. Its output, the server's replies and its own errors, is collected by line.
 */
final class OpenSslClient implements AutoCloseable {

    static final Path OPENSSL = Path.of("/usr/bin/openssl");

    private final Process process;
    private final LogLines output;

    private OpenSslClient(Process process) {
        this.process = process;
        this.output = LogLines.of(process, "s_client-" + process.pid());
    }

    /** Connects to 127.0.0.1:{@code port}, trusting {@code ca}; {@code extra} adds flags such as {@code -cert}. */
    static OpenSslClient connect(int port, Path ca, String... extra) {
        List<String> command = new ArrayList<>(List.of(OPENSSL.toString(), "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", "localhost", "-verify_hostname", "localhost", "-CAfile", ca.toString(),
                "-verify_return_error", "-quiet"));
        command.addAll(List.of(extra));
        try {
            return new OpenSslClient(new ProcessBuilder(command).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void send(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Waits for a line of output matching {@code regex}. */
    String await(String regex) {
        return output.await(Pattern.compile(regex), Duration.ofSeconds(30));
    }

    /** Waits for s_client to exit, as it does when the server closes the connection, and returns its exit code. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("s_client still running; its output:\n" + output.text());
        }
        return process.exitValue();
    }

    String output() {
        return output.text();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
