package dev.shout.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.shout.it.TestCertificates.Issued;
import dev.shout.it.TestCertificates.KeyFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The client jar with {@code --tls} against Debian's {@code openssl s_server}, a TLS server that
 * is not ours, run as OS processes: a line goes over TLS and comes back (reversed: s_server's
 * {@code -rev}), and every certificate the client must refuse is refused in one line, exit 1.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClientTlsTest {

    private static final byte[] NO_INPUT = new byte[0];

    @TempDir
    static Path dir;

    private static TestCertificates authority;
    private static Issued localhost;

    @BeforeAll
    static void makeCertificates() {
        authority = TestCertificates.authority(dir, "shout client test CA");
        localhost = authority.localhost("localhost");
    }

    @Test
    void lineRoundTripsOverTlsWithTheAuthorityNamed() throws IOException {
        try (OpensslServer server = OpensslServer.reversing(localhost.certificate(), localhost.key())) {
            ClientProcess.Result result = shout(server, "--tls", "--ca", ca(), "-m", "hello over tls");
            assertEquals(0, result.exitCode(), result.stderr() + server.output());
            assertEquals("slt revo olleh\n", result.stdoutText());
            assertEquals("", result.stderr());
        }
    }

    @Test
    void hostNameIsCheckedForADnsNameAsForAnAddress() throws IOException {
        try (OpensslServer server = OpensslServer.reversing(localhost.certificate(), localhost.key())) {
            ClientProcess.Result result = ClientProcess.run(NO_INPUT, "--host", "localhost",
                    "--port", String.valueOf(server.port()), "--tls", "--ca", ca(), "-m", "abc");
            assertEquals(0, result.exitCode(), result.stderr() + server.output());
            assertEquals("cba\n", result.stdoutText());
        }
    }

    @Test
    void pipedStdinStreamsOverTls() throws IOException {
        try (OpensslServer server = OpensslServer.reversing(localhost.certificate(), localhost.key())) {
            ClientProcess.Result result = ClientProcess.run("abc\ndef\n".getBytes(StandardCharsets.UTF_8),
                    "--port", String.valueOf(server.port()), "--tls", "--ca", ca());
            assertEquals(0, result.exitCode(), result.stderr() + server.output());
            assertEquals("cba\nfed\n", result.stdoutText());
        }
    }

    @Test
    void expiredCertificateIsRefusedNamingTheDay() throws IOException {
        Instant expiry = Instant.now().minus(Duration.ofDays(2));
        Issued expired = authority.issue("expired", "localhost", expiry.minus(Duration.ofDays(30)), expiry,
                KeyFormat.PKCS8);
        try (OpensslServer server = OpensslServer.reversing(expired.certificate(), expired.key())) {
            assertRefused(server, "certificate expired on " + expiry.atZone(ZoneOffset.UTC).toLocalDate(),
                    "--tls", "--ca", ca());
        }
    }

    @Test
    void selfSignedCertificateIsRefusedWithoutCa() throws IOException {
        Issued self = authority.selfSigned("self-signed");
        try (OpensslServer server = OpensslServer.reversing(self.certificate(), self.key())) {
            assertRefused(server, "certificate not trusted (self-signed or unknown authority; --ca FILE names one"
                    + " to trust)", "--tls");
        }
    }

    @Test
    void certificateOfAnotherAuthorityIsRefusedEvenWithCa() throws IOException {
        Issued other = TestCertificates.authority(dir, "another CA").localhost("other-authority");
        try (OpensslServer server = OpensslServer.reversing(other.certificate(), other.key())) {
            assertRefused(server, "certificate not trusted (self-signed or unknown authority; --ca FILE names one"
                    + " to trust)", "--tls", "--ca", ca());
        }
    }

    @Test
    void certificateForAnotherHostIsRefusedSayingWhomItIsFor() throws IOException {
        Issued elsewhere = authority.forOtherHost("elsewhere");
        try (OpensslServer server = OpensslServer.reversing(elsewhere.certificate(), elsewhere.key())) {
            assertRefused(server, "certificate is for elsewhere.example, not 127.0.0.1", "--tls", "--ca", ca());
        }
    }

    @Test
    void insecureConnectsToTheSelfSignedOneWithAWarning() throws IOException {
        Issued self = authority.selfSigned("self-signed-insecure");
        try (OpensslServer server = OpensslServer.reversing(self.certificate(), self.key())) {
            ClientProcess.Result result = shout(server, "--tls", "--insecure", "-m", "abc");
            assertEquals(0, result.exitCode(), result.stderr() + server.output());
            assertEquals("cba\n", result.stdoutText());
            assertEquals(List.of("shout: warning: --insecure: the server's certificate and host name are not checked,"
                    + " so anyone on the way can read and change the traffic"), result.stderr().lines().toList());
        }
    }

    @ParameterizedTest
    @EnumSource(value = KeyFormat.class, names = {"PKCS8", "PKCS1"})
    void mutualTlsWithAClientKeyInEitherForm(KeyFormat format) throws IOException {
        Instant now = Instant.now();
        Issued client = authority.issue("client-" + format, "shout client", now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(30)), format);
        try (OpensslServer server = requiringClientCertificates()) {
            ClientProcess.Result result = shout(server, "--tls", "--ca", ca(),
                    "--cert", client.certificate().toString(), "--key", client.key().toString(), "-m", "abc");
            assertEquals(0, result.exitCode(), result.stderr() + server.output());
            assertEquals("cba\n", result.stdoutText());
        }
    }

    @Test
    void mutualTlsWithoutAClientCertificateFailsInOneLine() throws IOException {
        try (OpensslServer server = requiringClientCertificates()) {
            ClientProcess.Result result = shout(server, "--tls", "--ca", ca(), "-m", "abc");
            assertEquals(1, result.exitCode(), result.stderr());
            assertEquals(List.of("shout: connection to 127.0.0.1:" + server.port() + " failed: server requires a"
                    + " client certificate from an authority it trusts (--cert FILE --key FILE)"),
                    result.stderr().lines().toList());
            assertEquals("", result.stdoutText());
        }
    }

    @Test
    void encryptedClientKeyIsOneLineAndExit2() throws IOException {
        Instant now = Instant.now();
        Issued client = authority.issue("client-encrypted", "shout client", now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(30)), KeyFormat.PKCS8_ENCRYPTED);
        ClientProcess.Result result = ClientProcess.run(NO_INPUT, "--port", "1", "--tls", "--ca", ca(),
                "--cert", client.certificate().toString(), "--key", client.key().toString(), "-m", "abc");
        assertEquals(2, result.exitCode(), result.stderr());
        assertEquals(List.of("shout: --key " + client.key() + ": no PEM private key in it (expected: PKCS#8 or PKCS#1,"
                + " not encrypted)"), result.stderr().lines().toList());
    }

    @Test
    void unreadableCaFileIsOneLineAndExit2() throws IOException {
        Path missing = dir.resolve("missing-ca.crt");
        ClientProcess.Result result = ClientProcess.run(NO_INPUT, "--port", "1", "--tls", "--ca", missing.toString(),
                "-m", "abc");
        assertEquals(2, result.exitCode());
        assertEquals(List.of("shout: --ca " + missing + ": no such file"), result.stderr().lines().toList());
    }

    /** Needs a certificate from the test authority of every client; TLS 1.3 says so after the handshake. */
    private static OpensslServer requiringClientCertificates() {
        return OpensslServer.reversing(localhost.certificate(), localhost.key(), "-Verify", "1", "-CAfile", ca());
    }

    private static void assertRefused(OpensslServer server, String reason, String... tlsFlags) throws IOException {
        String[] args = new String[tlsFlags.length + 2];
        System.arraycopy(tlsFlags, 0, args, 0, tlsFlags.length);
        args[tlsFlags.length] = "-m";
        args[tlsFlags.length + 1] = "never sent";
        ClientProcess.Result result = shout(server, args);
        assertEquals(1, result.exitCode(), result.stderr());
        assertEquals(List.of("shout: cannot connect to 127.0.0.1:" + server.port() + ": " + reason),
                result.stderr().lines().toList());
        assertEquals("", result.stdoutText());
    }

    private static ClientProcess.Result shout(OpensslServer server, String... args) throws IOException {
        String[] all = new String[args.length + 2];
        all[0] = "--port";
        all[1] = String.valueOf(server.port());
        System.arraycopy(args, 0, all, 2, args.length);
        return ClientProcess.run(NO_INPUT, all);
    }

    private static String ca() {
        return authority.ca().certificate().toString();
    }
}
