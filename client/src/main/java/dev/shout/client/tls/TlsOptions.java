package dev.shout.client.tls;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The TLS flags, mixed into {@code shout} and {@code shout bench} so that both spell, document and
 * check them alike.
 */
public final class TlsOptions {

    @Option(names = "--tls",
            description = "Speak TLS (1.2 or 1.3) to a server started with --tls-cert; its certificate and host"
                    + " name are checked.")
    private boolean tls;

    @Option(names = "--ca", paramLabel = "<file>",
            description = "With --tls: trust the authorities in this PEM file instead of the JDK's default ones.")
    private Path ca;

    @Option(names = "--insecure",
            description = "With --tls: trust any certificate for any host, with a warning; for throwaway"
                    + " certificates only.")
    private boolean insecure;

    @Option(names = "--cert", paramLabel = "<file>",
            description = "With --tls and --key: this PEM certificate chain, for a server that asks for one"
                    + " (mutual TLS).")
    private Path certificate;

    @Option(names = "--key", paramLabel = "<file>",
            description = "With --cert: its PEM private key, PKCS#8 or PKCS#1, not encrypted.")
    private Path key;

    /** The TLS asked for, or none; throws {@link IllegalArgumentException} for flags that do not fit. */
    public Optional<TlsConfig> config() {
        return TlsConfig.of(tls, ca, insecure, certificate, key);
    }
}
