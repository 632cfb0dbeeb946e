package dev.shout.client.tls;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How the client speaks TLS: whom it trusts and, for mutual TLS, what it shows. Only the flags are
 * checked here; the files are read when the context is built ({@link ClientSslContexts}), which
 * names a bad one.
 *
 * @param ca          PEM: the authorities to trust instead of the JDK's default trust store
 * @param insecure    trust any certificate for any host, for throwaway certificates in tests
 * @param certificate PEM: the client's certificate chain, shown to a server that asks (mutual TLS)
 * @param key         PEM: that certificate's private key, PKCS#8 or PKCS#1
 */
public record TlsConfig(Optional<Path> ca, boolean insecure, Optional<Path> certificate, Optional<Path> key) {

    /** Printed once a run, after the command's name: nobody should take such a connection for a safe one. */
    public static final String INSECURE_WARNING = "warning: --insecure: the server's certificate and host name"
            + " are not checked, so anyone on the way can read and change the traffic";

    public TlsConfig {
        Objects.requireNonNull(ca, "ca");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
        if (insecure && ca.isPresent()) {
            throw new IllegalArgumentException("--insecure: cannot be combined with --ca");
        }
        if (certificate.isPresent() && key.isEmpty()) {
            throw new IllegalArgumentException("--key: required with --cert");
        }
        if (key.isPresent() && certificate.isEmpty()) {
            throw new IllegalArgumentException("--cert: required with --key");
        }
    }

    /**
     * The TLS the flags ask for, or none without {@code --tls}: the other flags imply nothing, so
     * each of them without it is refused rather than quietly ignored or taken to mean TLS.
     */
    public static Optional<TlsConfig> of(boolean tls, Path ca, boolean insecure, Path certificate, Path key) {
        if (!tls) {
            requireAbsent(ca != null, "--ca");
            requireAbsent(insecure, "--insecure");
            requireAbsent(certificate != null, "--cert");
            requireAbsent(key != null, "--key");
            return Optional.empty();
        }
        return Optional.of(new TlsConfig(Optional.ofNullable(ca), insecure, Optional.ofNullable(certificate),
                Optional.ofNullable(key)));
    }

    private static void requireAbsent(boolean given, String flag) {
        if (given) {
            throw new IllegalArgumentException(flag + ": only with --tls");
        }
    }
}
