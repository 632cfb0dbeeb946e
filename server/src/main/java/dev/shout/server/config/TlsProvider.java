package dev.shout.server.config;

/** Which TLS implementation serves connections: {@code --tls-provider}. */
public enum TlsProvider {
    /** OpenSSL (BoringSSL, bundled) where its native library loads, the JDK's otherwise. */
    AUTO,
    /** OpenSSL (BoringSSL, bundled); the server does not start where it cannot load. */
    OPENSSL,
    /** The JDK's own TLS, which runs everywhere the JDK does. */
    JDK
}
