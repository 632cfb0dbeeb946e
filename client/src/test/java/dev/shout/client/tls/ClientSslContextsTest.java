package dev.shout.client.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.shout.client.TestCertificate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Bad files are named with their flag; good ones, keys in either form, build both kinds of context. */
@Timeout(30)
class ClientSslContextsTest {

    @RegisterExtension
    static final TestCertificate certificate = TestCertificate.forHost("localhost");

    @TempDir
    Path dir;

    @Test
    void caFileBuildsBothContexts() throws TlsSetupException {
        TlsConfig config = config(Optional.of(certificate.certificate()), Optional.empty(), Optional.empty());
        assertNotNull(ClientSslContexts.forSockets(config));
        assertNotNull(ClientSslContexts.forPipelines(config));
    }

    @Test
    void missingCaFileIsNamed() {
        Path missing = dir.resolve("missing.crt");
        assertFails("--ca " + missing + ": no such file", config(Optional.of(missing), Optional.empty(),
                Optional.empty()));
    }

    @Test
    void directoryAsCaFileIsNamed() {
        assertFails("--ca " + dir + ": cannot be read (is a directory)", config(Optional.of(dir), Optional.empty(),
                Optional.empty()));
    }

    @Test
    void caFileWithoutCertificatesIsNamed() throws IOException {
        Path notPem = Files.writeString(dir.resolve("notes.txt"), "not a certificate\n");
        assertFails("--ca " + notPem + ": no PEM certificate in it", config(Optional.of(notPem), Optional.empty(),
                Optional.empty()));
    }

    @Test
    void keyAsCaFileIsNamed() {
        assertFails("--ca " + certificate.key() + ": no PEM certificate in it",
                config(Optional.of(certificate.key()), Optional.empty(), Optional.empty()));
    }

    @Test
    void pkcs8ClientKeyIsRead() throws TlsSetupException {
        assertNotNull(ClientSslContexts.forSockets(clientCertificate(certificate.key())));
    }

    @Test
    void pkcs1ClientKeyIsReadThroughBouncyCastle() throws TlsSetupException, IOException {
        Path pkcs1 = certificate.pkcs1Key(dir.resolve("client-pkcs1.key"));
        assertEquals("-----BEGIN RSA PRIVATE KEY-----", Files.readAllLines(pkcs1).get(0));
        assertNotNull(ClientSslContexts.forSockets(clientCertificate(pkcs1)));
        assertNotNull(ClientSslContexts.forPipelines(clientCertificate(pkcs1)));
    }

    @Test
    void certificateAsKeyIsNamedAsTheKey() {
        assertFails("--key " + certificate.certificate() + ": no PEM private key in it"
                + " (expected: PKCS#8 or PKCS#1, not encrypted)", clientCertificate(certificate.certificate()));
    }

    @Test
    void keyAsClientCertificateIsNamedAsTheCertificate() {
        assertFails("--cert " + certificate.key() + ": no PEM certificate in it",
                config(Optional.empty(), Optional.of(certificate.key()), Optional.of(certificate.key())));
    }

    @Test
    void missingKeyIsNamed() {
        Path missing = dir.resolve("missing.key");
        assertFails("--key " + missing + ": no such file", clientCertificate(missing));
    }

    private static TlsConfig clientCertificate(Path key) {
        return config(Optional.empty(), Optional.of(certificate.certificate()), Optional.of(key));
    }

    private static TlsConfig config(Optional<Path> ca, Optional<Path> clientCertificate, Optional<Path> key) {
        return new TlsConfig(ca, false, clientCertificate, key);
    }

    private static void assertFails(String message, TlsConfig config) {
        assertEquals(message, assertThrows(TlsSetupException.class,
                () -> ClientSslContexts.forSockets(config)).getMessage());
        assertEquals(message, assertThrows(TlsSetupException.class,
                () -> ClientSslContexts.forPipelines(config)).getMessage());
    }
}
