package dev.shout.client;

import java.nio.file.Path;
import dev.shout.client.tls.TlsConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The command line, checked once here so that nothing downstream has to wonder whether a value
 * makes sense. Error messages name the option so that they can be shown to the user as they are.
 *
 * @param message     the text to send once, or {@code null} when {@code --message} was not given
 * @param interactive whether {@code --interactive} was given; a terminal on stdin implies it anyway
 * @param historyFile where the lines typed at a terminal are kept, or {@code null} with {@code --no-history}
 * @param tls         how to speak TLS, or empty for plaintext
 */
record ClientConfig(String host, int port, Duration connectTimeout, String message, boolean interactive,
        Path historyFile, Optional<TlsConfig> tls) {

    ClientConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(tls, "tls");
        if (host.isBlank()) {
            throw new IllegalArgumentException("--host: '" + host + "' (expected: a host name or address)");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--port: " + port + " (expected: 1..65535)");
        }
        if (connectTimeout.isZero() || connectTimeout.isNegative()) {
            throw new IllegalArgumentException(
                    "--connect-timeout: " + DurationConverter.format(connectTimeout) + " (expected: > 0)");
        }
        if (message != null && interactive) {
            throw new IllegalArgumentException("--interactive: cannot be combined with --message");
        }
    }
}
