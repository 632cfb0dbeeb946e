package dev.shout.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * TLS on the client port: the server's certificate chain and key, and for mutual TLS the
 * authorities whose client certificates are accepted. Only the flags are checked here; the
 * files themselves are read and checked by {@code dev.shout.server.tls.TlsFiles} before any
 * worker starts, and again on every reload.
 *
 * @param certificate PEM: the server's certificate, then the chain up to (not including) the root
 * @param key PEM: the certificate's private key, PKCS#8 or PKCS#1
 * @param clientCa PEM: with it, every client must present a certificate one of these signed
 * @param handshakeTimeout a client that has not finished its handshake after this is closed
 */
public record TlsConfig(Path certificate, Path key, Optional<Path> clientCa, TlsProvider provider,
        Duration handshakeTimeout) {

    public TlsConfig {
        Objects.requireNonNull(certificate, "--tls-cert");
        Objects.requireNonNull(key, "--tls-key");
        Objects.requireNonNull(clientCa, "--tls-client-ca");
        Objects.requireNonNull(provider, "--tls-provider");
        Checks.positive(handshakeTimeout, "--tls-handshake-timeout");
    }

    /**
     * The TLS configuration the flags describe, or none without {@code --tls-cert}; the flags
     * that only make sense with a certificate are refused without one.
     */
    public static Optional<TlsConfig> of(Path certificate, Path key, Path clientCa, TlsProvider provider,
            Duration handshakeTimeout) {
        if (certificate == null) {
            requireAbsent(key, "--tls-key");
            requireAbsent(clientCa, "--tls-client-ca");
            return Optional.empty();
        }
        if (key == null) {
            throw new IllegalArgumentException("--tls-key: required with --tls-cert");
        }
        return Optional.of(new TlsConfig(certificate, key, Optional.ofNullable(clientCa), provider, handshakeTimeout));
    }

    private static void requireAbsent(Path file, String flag) {
        if (file != null) {
            throw new IllegalArgumentException(flag + ": only with --tls-cert");
        }
    }
}
