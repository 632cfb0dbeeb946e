package dev.shout.client.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TlsConfigTest {

    private static final Path CA = Path.of("ca.crt");
    private static final Path CERT = Path.of("client.crt");
    private static final Path KEY = Path.of("client.key");

    @Test
    void withoutTlsThereIsNone() {
        assertEquals(Optional.empty(), TlsConfig.of(false, null, false, null, null));
    }

    @Test
    void tlsAloneTrustsTheDefaultAuthoritiesAndShowsNoCertificate() {
        assertEquals(Optional.of(new TlsConfig(Optional.empty(), false, Optional.empty(), Optional.empty())),
                TlsConfig.of(true, null, false, null, null));
    }

    @Test
    void everyFlagIsKeptWithTls() {
        TlsConfig config = TlsConfig.of(true, CA, false, CERT, KEY).orElseThrow();
        assertEquals(Optional.of(CA), config.ca());
        assertEquals(Optional.of(CERT), config.certificate());
        assertEquals(Optional.of(KEY), config.key());
    }

    @Test
    void caWithoutTlsIsRefused() {
        assertRefused("--ca: only with --tls", () -> TlsConfig.of(false, CA, false, null, null));
    }

    @Test
    void insecureWithoutTlsIsRefused() {
        assertRefused("--insecure: only with --tls", () -> TlsConfig.of(false, null, true, null, null));
    }

    @Test
    void clientCertificateWithoutTlsIsRefused() {
        assertRefused("--cert: only with --tls", () -> TlsConfig.of(false, null, false, CERT, KEY));
    }

    @Test
    void keyWithoutTlsIsRefused() {
        assertRefused("--key: only with --tls", () -> TlsConfig.of(false, null, false, null, KEY));
    }

    @Test
    void certificateWithoutKeyIsRefused() {
        assertRefused("--key: required with --cert", () -> TlsConfig.of(true, null, false, CERT, null));
    }

    @Test
    void keyWithoutCertificateIsRefused() {
        assertRefused("--cert: required with --key", () -> TlsConfig.of(true, null, false, null, KEY));
    }

    @Test
    void insecureCannotBeCombinedWithCa() {
        assertRefused("--insecure: cannot be combined with --ca", () -> TlsConfig.of(true, CA, true, null, null));
    }

    @Test
    void insecureStillShowsAClientCertificate() {
        assertEquals(Optional.of(CERT), TlsConfig.of(true, null, true, CERT, KEY).orElseThrow().certificate());
    }

    private static void assertRefused(String message, Runnable build) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, build::run).getMessage());
    }
}
